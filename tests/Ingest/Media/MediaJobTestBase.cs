using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>A media pipeline over a catalogue of its own and a store chosen by the subclass, plus scratch folders.</summary>
public abstract class MediaJobTestBase : IAsyncDisposable
{
    private readonly CatalogueFixture _catalogue;
    private MediaHarness? _harness;

    protected MediaJobTestBase(CatalogueFixture catalogue)
    {
        _catalogue = catalogue;
    }

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected CatalogueFixture Catalogue => _catalogue;

    protected TempFolder Folder { get; } = new();

    /// <summary>Where the filesystem store keeps its objects (unused with S3).</summary>
    protected TempFolder StoreFolder { get; } = new();

    protected MediaHarness Harness => _harness ??= new MediaHarness(_catalogue, Store, Options);

    protected virtual MediaOptions Options => new() { WorkFolder = Folder.Combine("work") };

    protected abstract IEvidenceStore Store { get; }

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        Folder.Dispose();
        StoreFolder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Ingests and probes a file, runs its rendition job, and returns the playback derivative downloaded and read back with ffprobe.</summary>
    protected async Task<(ArchivedRecording Recording, CurrentDerivative Playback, OutputProbe Output, string Path)> RenditionOfAsync(string source)
    {
        var recording = await Harness.IngestAndProbeAsync(source);
        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId));
        var playback = Assert.Single(await Harness.Derivations.CurrentAsync(recording.RecordingId, Token), d => d.Role == DerivationRole.Playback);
        var path = await Harness.DownloadAsync(playback.Location, Folder.Combine($"rendition-{recording.RecordingId:N}.mp4"));
        return (recording, playback, await OutputProbe.ReadAsync(path, Token), path);
    }

    /// <summary>The checks every rendition must pass: MP4, H.264 4:2:0 and AAC where asked, the source's duration, moov first, upright, original unchanged.</summary>
    protected async Task AssertPlaybackAsync(ArchivedRecording recording, OutputProbe output, string path, double sourceDuration, bool video = true, bool audio = true)
    {
        Assert.Contains("mp4", output.FormatName, StringComparison.Ordinal);
        if (video)
        {
            Assert.Equal(("h264", "yuv420p"), (output.VideoCodec, output.PixelFormat));
        }
        else
        {
            Assert.Equal(0, output.VideoStreams);
        }

        if (audio)
        {
            Assert.Equal("aac", output.AudioCodec);
        }
        else
        {
            Assert.Equal(0, output.AudioStreams);
        }

        Assert.InRange(output.Duration, sourceDuration - 0.1, sourceDuration + 0.1);
        var boxes = OutputProbe.TopLevelBoxes(path).ToList();
        Assert.True(boxes.IndexOf("moov") >= 0 && boxes.IndexOf("moov") < boxes.IndexOf("mdat"), $"moov must come before mdat: {string.Join(",", boxes)}");
        Assert.Null(output.Rotation);
        await AssertOriginalUnchangedAsync(recording);
    }

    protected async Task AssertOriginalUnchangedAsync(ArchivedRecording recording) =>
        Assert.Equal(recording.Sha256.Hex, await Harness.StoredSha256Async(recording.Location));

    /// <summary>Duration of a source file as ffprobe reads it.</summary>
    protected static async Task<double> DurationOfAsync(string path) => (await OutputProbe.ReadAsync(path, Token)).Duration;
}
