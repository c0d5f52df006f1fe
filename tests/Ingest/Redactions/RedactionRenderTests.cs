using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// What a rendered redaction looks and sounds like, measured on decoded frames and samples against the
/// original: hidden where and when it was asked for, untouched elsewhere.
/// </summary>
public sealed class RedactionRenderTests(CatalogueFixture catalogue) : RedactionTestBase(catalogue), IClassFixture<CatalogueFixture>
{
    private const int W = RedactionFootage.Width;
    private const int H = RedactionFootage.Height;

    [Fact]
    public async Task A_moving_region_is_blurred_while_shown_muted_and_bleeped_ranges_are_replaced_and_the_rest_is_as_it_was()
    {
        var (recordingId, original) = await MovingPatchAsync();
        var spec = new RedactionSpec(
            [Following(RedactionRegion.Rectangle, 2, 3.5, 5)],
            null,
            [new AudioRedaction(1, 2, AudioRedaction.Mute), new AudioRedaction(4, 5, AudioRedaction.Bleep)]);

        var redaction = await Redactions.RenderAsync(recordingId, spec);

        Assert.Equal((RedactionState.Ready, null), (redaction.State, redaction.Failure));
        var output = Assert.IsType<RedactedOutput>(redaction.Output);
        Assert.Equal(("video/mp4", W, H), (output.ContentType, output.Width, output.Height));
        var path = await DownloadAsync(output);
        var probe = await OutputProbe.ReadAsync(path, Token);
        Assert.Equal(("h264", "yuv420p", "aac"), (probe.VideoCodec, probe.PixelFormat, probe.AudioCodec));
        Assert.InRange(probe.Duration, 5.9, 6.1);

        foreach (var t in new[] { 2.0, 2.52, 3.52, 4.48, 5.0 })
        {
            var before = await Decoded.FrameAsync(original, t, W, H, Token);
            var after = await Decoded.FrameAsync(path, t, W, H, Token);
            var patch = RedactionFootage.PatchAt(t);
            Assert.True(before.Variance(patch) > 5000, $"the original shows the patch at {t} s");
            Assert.True(after.Variance(patch) < 150, $"the patch is blurred at {t} s: variance {after.Variance(patch):F0}");

            // Corners too: a rectangle hides its whole box.
            Assert.True(after.MeanDifference(before, (x, y) => new PixelBox(patch.X, patch.Y, 6, 6).Contains(x, y)) > 30, $"the patch's corner is blurred at {t} s");
            var around = patch.Grown(12);
            Assert.True(after.MeanDifference(before, (x, y) => !around.Contains(x, y)) < 2.5, $"the rest of the frame is unchanged at {t} s");
        }

        foreach (var t in new[] { 0.52, 1.0, 1.92, 5.6 })
        {
            var before = await Decoded.FrameAsync(original, t, W, H, Token);
            var after = await Decoded.FrameAsync(path, t, W, H, Token);
            Assert.True(after.MeanDifference(before, (_, _) => true) < 2.5, $"nothing is hidden at {t} s");
            Assert.True(after.Variance(RedactionFootage.PatchAt(t)) > 5000, $"the patch shows at {t} s");
        }

        Assert.True(Decoded.Rms(await Decoded.SoundAsync(path, 1.05, 0.9, Token)) < 30, "the muted range is silent");
        foreach (var (from, length) in new[] { (0.1, 0.8), (2.1, 1.7), (5.1, 0.8) })
        {
            var sound = await Decoded.SoundAsync(path, from, length, Token);
            Assert.True(Decoded.Rms(sound) > 1000, $"the sound is kept at {from} s");
            Assert.InRange(Decoded.CrossingsPerSecond(sound, RedactionFootage.SampleRate), 800, 960);
        }

        var bleep = await Decoded.SoundAsync(path, 4.05, 0.9, Token);
        Assert.True(Decoded.Rms(bleep) > 1000, "the bleeped range has a tone");
        Assert.InRange(Decoded.CrossingsPerSecond(bleep, RedactionFootage.SampleRate), 1900, 2100);
    }

    [Fact]
    public async Task An_ellipse_leaves_the_corners_of_its_box_sharp()
    {
        var (recordingId, original) = await MovingPatchAsync(seconds: 3);

        var redaction = await Redactions.RenderAsync(recordingId, Regions(Following(RedactionRegion.Ellipse, 0.5, 2.5)));

        var path = await DownloadAsync(redaction.Output!);
        foreach (var t in new[] { 1.0, 2.0 })
        {
            var before = await Decoded.FrameAsync(original, t, W, H, Token);
            var after = await Decoded.FrameAsync(path, t, W, H, Token);
            var patch = RedactionFootage.PatchAt(t);
            var centre = new PixelBox(patch.X + 16, patch.Y + 16, 16, 16);
            Assert.True(after.Variance(centre) < 150, $"the ellipse's inside is blurred at {t} s");
            foreach (var (x, y) in new[] { (patch.X, patch.Y), (patch.X + 44, patch.Y), (patch.X, patch.Y + 44), (patch.X + 44, patch.Y + 44) })
            {
                var corner = new PixelBox(x, y, 4, 4);
                Assert.True(after.MeanDifference(before, corner.Contains) < 12, $"the corner at ({x}, {y}) is untouched at {t} s");
            }
        }
    }

    [Fact]
    public async Task A_region_on_a_rotated_recording_is_placed_on_the_upright_picture()
    {
        var path = Folder.Combine("rotated.mp4");
        await RedactionFootage.RotatedAsync(path, Folder.Path, Token);
        var recordingId = (await Harness.IngestAndProbeAsync(path)).RecordingId;
        var video = (await Harness.Probes.FindAsync(recordingId, Token))!.Probe.Video!;
        Assert.Equal((240, 320), (video.DisplayWidth, video.DisplayHeight));

        // Upright, the patch at (x, y) of the recorded picture is at (y, 320 − x − 48): the test checks the original shows it there.
        static PixelBox Upright(double t) => RedactionFootage.PatchAt(t) is var p ? new PixelBox(p.Y, W - p.X - p.Width, p.Height, p.Width) : null!;
        static RegionKeyframe Key(double t) => Upright(t) is var b ? new RegionKeyframe(t, b.X / 240.0, b.Y / 320.0, b.Width / 240.0, b.Height / 320.0) : null!;

        var redaction = await Redactions.RenderAsync(recordingId, Regions(new RedactionRegion(RedactionRegion.Rectangle, [Key(0.5), Key(2.5)])));

        var output = await DownloadAsync(redaction.Output!);
        var probe = await OutputProbe.ReadAsync(output, Token);
        Assert.Equal((240, 320, null), (probe.Width, probe.Height, probe.Rotation));
        foreach (var t in new[] { 1.0, 2.0 })
        {
            var before = await Decoded.FrameAsync(path, t, 240, 320, Token);
            var after = await Decoded.FrameAsync(output, t, 240, 320, Token);
            Assert.True(before.Variance(Upright(t)) > 5000, $"upright, the original shows the patch there at {t} s");
            Assert.True(after.Variance(Upright(t)) < 150, $"the patch is blurred at {t} s");
            var around = Upright(t).Grown(12);
            Assert.True(after.MeanDifference(before, (x, y) => !around.Contains(x, y)) < 2.5);
        }
    }

    [Fact]
    public async Task A_photo_becomes_a_jpeg_with_the_region_blurred()
    {
        var path = Folder.Combine("photo.jpg");
        await RedactionFootage.PhotoAsync(path, Folder.Path, Token);
        var recordingId = (await Harness.IngestAndProbeAsync(path)).RecordingId;
        var patch = RedactionFootage.PatchAt(1);
        var region = new RedactionRegion(RedactionRegion.Rectangle, [new RegionKeyframe(0, patch.X / (double)W, patch.Y / (double)H, patch.Width / (double)W, patch.Height / (double)H)]);

        var redaction = await Redactions.RenderAsync(recordingId, Regions(region));

        var output = Assert.IsType<RedactedOutput>(redaction.Output);
        Assert.Equal(("image/jpeg", W, H, (double?)null), (output.ContentType, output.Width, output.Height, output.DurationSeconds));
        var jpeg = await DownloadAsync(output, ".jpg");
        var before = await Decoded.FrameAsync(path, 0, W, H, Token);
        var after = await Decoded.FrameAsync(jpeg, 0, W, H, Token);
        Assert.True(before.Variance(patch) > 5000);
        Assert.True(after.Variance(patch) < 150);
        Assert.True(after.MeanDifference(before, (x, y) => !patch.Grown(8).Contains(x, y)) < 2.5);
    }

    [Fact]
    public async Task A_portrait_phone_photo_is_redacted_on_its_upright_picture()
    {
        // Stored 320×200 with "turn clockwise": upright it is 200×320 with the white block in its top-right corner.
        var path = Folder.Combine("portrait.jpg");
        await OrientedPhoto.MakeAsync(path, OrientedPhoto.TurnClockwise, Token);
        var recordingId = (await Harness.IngestAndProbeAsync(path)).RecordingId;
        const int Width = OrientedPhoto.StoredHeight, Height = OrientedPhoto.StoredWidth;
        var region = new PixelBox(120, 60, 80, 80);   // over the block's lower-left corner, upright
        var spec = Regions(new RedactionRegion(
            RedactionRegion.Rectangle, [new RegionKeyframe(0, region.X / (double)Width, region.Y / (double)Height, region.Width / (double)Width, region.Height / (double)Height)]));

        var redaction = await Redactions.RenderAsync(recordingId, spec);

        var output = Assert.IsType<RedactedOutput>(redaction.Output);
        Assert.Equal((Width, Height), (output.Width, output.Height));
        var jpeg = await DownloadAsync(output, ".jpg");
        var before = await Decoded.FrameAsync(path, 0, Width, Height, Token);
        var after = await Decoded.FrameAsync(jpeg, 0, Width, Height, Token);
        static int Greys(Gray frame, PixelBox box) => box.Points().Count(p => frame[p.X, p.Y] is > 40 and < 215);
        Assert.True(Greys(before, region) < 100, $"the original is black and white there ({Greys(before, region)} grey pixels)");
        Assert.True(Greys(after, region) > 1000, $"the block's corner is blurred into greys ({Greys(after, region)} grey pixels)");
        Assert.True(after.MeanDifference(before, (x, y) => !region.Grown(8).Contains(x, y)) < 2.5, "nothing else is touched, and nothing is squeezed");
    }

    [Fact]
    public async Task Whole_frame_ranges_blur_everything_in_them_and_nothing_outside()
    {
        var (recordingId, original) = await MovingPatchAsync(seconds: 3);

        var redaction = await Redactions.RenderAsync(recordingId, new RedactionSpec(null, [new TimeRange(1, 2)], null));

        var path = await DownloadAsync(redaction.Output!);
        var inside = await Decoded.FrameAsync(path, 1.52, W, H, Token);
        Assert.True(inside.Variance(RedactionFootage.PatchAt(1.52)) < 1500, "the patch is blurred with the whole frame");
        var before = await Decoded.FrameAsync(original, 2.52, W, H, Token);
        var after = await Decoded.FrameAsync(path, 2.52, W, H, Token);
        Assert.True(after.MeanDifference(before, (_, _) => true) < 2.5);
    }
}
