using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Redactions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// Photos are viewed like footage, through a viewing copy: ingest → probe → rendition job with the real
/// ffprobe, ffmpeg, PostgreSQL and store. A phone's portrait photo (pixels stored landscape, an EXIF
/// Orientation saying "turn clockwise") is probed upright and its copy is the upright picture as a JPEG
/// with no EXIF left in it; a very large photo is shrunk to the configured long side.
/// </summary>
public sealed class PhotoRenditionTests : MediaJobTestBase, IClassFixture<CatalogueFixture>
{
    public PhotoRenditionTests(CatalogueFixture catalogue)
        : base(catalogue)
    {
        Store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = StoreFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    protected override IEvidenceStore Store { get; }

    protected override MediaOptions Options => new() { WorkFolder = Folder.Combine("work"), PhotoMaxSide = 1000 };

    [Fact]
    public async Task A_portrait_phone_photo_is_probed_upright_and_viewed_as_an_upright_jpeg_without_its_exif()
    {
        var photo = Folder.Combine("IMG_0001.jpg");
        await OrientedPhoto.MakeAsync(photo, OrientedPhoto.TurnClockwise, Token);
        Assert.Contains("Exif", System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(photo, Token)), StringComparison.Ordinal);

        var recording = await Harness.IngestAndProbeAsync(photo);
        var probe = (await Harness.Probes.FindAsync(recording.RecordingId, Token))!.Probe;
        Assert.Equal(MediaKind.Photo, probe.Kind);
        Assert.Equal(90, probe.Video!.Rotation);
        Assert.Equal((OrientedPhoto.StoredHeight, OrientedPhoto.StoredWidth), (probe.Video.DisplayWidth, probe.Video.DisplayHeight));

        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId));
        var copy = Assert.Single(await Harness.Derivations.CurrentAsync(recording.RecordingId, Token), d => d.Role == DerivationRole.Playback);
        Assert.Equal(("still", "image/jpeg"), (copy.Method, copy.ContentType));
        Assert.Equal((OrientedPhoto.StoredHeight, OrientedPhoto.StoredWidth), (copy.Width, copy.Height));
        var path = await Harness.DownloadAsync(copy.Location, Folder.Combine("copy.jpg"));
        var bytes = await File.ReadAllBytesAsync(path, Token);
        Assert.True(bytes[0] == 0xFF && bytes[1] == 0xD8, "the copy is a JPEG");
        Assert.DoesNotContain("Exif", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);

        // Turned clockwise, the block stored in the top-left corner is in the top-right corner; the copy has
        // no orientation left, so what is decoded is what every viewer shows.
        var gray = await Decoded.FrameAsync(path, 0, OrientedPhoto.StoredHeight, OrientedPhoto.StoredWidth, Token);
        Assert.True(gray[OrientedPhoto.StoredHeight - 10, 20] > 200, $"top-right is {gray[OrientedPhoto.StoredHeight - 10, 20]}, not white");
        Assert.True(gray[10, 20] < 50, $"top-left is {gray[10, 20]}, not black");
        Assert.True(gray[OrientedPhoto.StoredHeight - 10, OrientedPhoto.StoredWidth - 20] < 50, "bottom-right is black");
        await AssertOriginalUnchangedAsync(recording);
    }

    [Fact]
    public async Task A_photo_larger_than_the_long_side_is_shrunk_keeping_its_shape_and_a_small_one_is_not()
    {
        var large = Folder.Combine("large.jpg");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "testsrc2=s=2000x1500", "-frames:v", "1", large);
        var small = Folder.Combine("small.png");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "testsrc2=s=640x480", "-frames:v", "1", small);

        var shrunk = await StillOfAsync(large);
        var kept = await StillOfAsync(small);

        Assert.Equal((1000, 750), (shrunk.Width, shrunk.Height));
        Assert.Equal((640, 480), (kept.Width, kept.Height));
        Assert.Equal("image/jpeg", kept.ContentType);
    }

    [Fact]
    public void The_plan_for_a_photo_is_a_still_in_the_quick_lane_and_says_why()
    {
        var probe = new MediaProbe(MediaKind.Photo, "image2", null, null, null, 1, new VideoStreamInfo(0, "png", null, "rgb24", 8, 4000, 3000, 90, null, null, null, false, null, false), null, null, null);

        var plan = RenditionPolicy.Plan(probe, new MediaOptions { PhotoMaxSide = 2000 });

        Assert.Equal(RenditionMethod.Still, plan.Method);
        Assert.True(plan.IsCheap);
        Assert.Equal(new FrameSize(1500, 2000), plan.Size);
        Assert.Contains(plan.Reasons, r => r.Contains("larger than 2000", StringComparison.Ordinal));
        var arguments = RenditionArguments.Build(plan, new MediaOptions(), "in", "out.jpg");
        Assert.Equal(["-map_metadata", "-1", "-c:v", "mjpeg"], arguments.SkipWhile(a => a != "-map_metadata").Take(4));
        Assert.Equal("out.jpg", arguments[^1]);
    }

    private async Task<CurrentDerivative> StillOfAsync(string source)
    {
        var recording = await Harness.IngestAndProbeAsync(source);
        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId));
        return Assert.Single(await Harness.Derivations.CurrentAsync(recording.RecordingId, Token), d => d.Role == DerivationRole.Playback);
    }
}
