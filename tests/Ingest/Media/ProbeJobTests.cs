using System.Net;
using System.Net.Sockets;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// The probe job end to end: a generated file is ingested (which queues the job), the real worker runs
/// it, ffprobe reads the original from the real store through the loopback server, and the catalogue
/// (real PostgreSQL) records the result. The original must be byte-identical afterwards.
/// </summary>
public abstract class ProbeJobTests(CatalogueFixture catalogue) : MediaJobTestBase(catalogue)
{
    /// <summary>Ingests the file, runs its probe job, checks the job succeeded and the original is unchanged.</summary>
    private async Task<(ArchivedRecording Recording, ProbeResult Result)> ProbeAsync(string path, string? name = null)
    {
        var recording = await Harness.IngestAsync(path, name);
        Assert.Equal(MediaStates.Unprobed, await Harness.MediaStateAsync(recording.RecordingId));

        var (state, lastError) = await Harness.RunJobAsync(Harness.ProbeHandler, recording.RecordingId);

        Assert.Equal(("succeeded", null), (state, lastError));
        Assert.Equal(recording.Sha256.Hex, await Harness.StoredSha256Async(recording.Location));
        var result = await Harness.Probes.FindAsync(recording.RecordingId, Token);
        Assert.NotNull(result);
        Assert.Equal(result.Playable ? MediaStates.Probed : MediaStates.Unplayable, await Harness.MediaStateAsync(recording.RecordingId));
        Assert.Matches(@"^\d+\.\d+", result.ToolVersion);
        return (recording, result);
    }

    private async Task AssertUnplayableAsync(ArchivedRecording recording, ProbeResult result, string reason)
    {
        Assert.False(result.Playable);
        Assert.Contains(reason, result.UnplayableReason, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", result.UnplayableReason, StringComparison.Ordinal);
        Assert.Equal(["recording.ingested", "recording.unplayable"], await Harness.AuditActionsAsync(recording.RecordingId));

        // Kept, and still readable exactly as stored.
        Assert.NotNull(await Store.HeadAsync(recording.Location, Token));
        Assert.Equal(recording.Sha256.Hex, await Harness.StoredSha256Async(recording.Location));
    }

    [Fact]
    public async Task A_recorder_mp4_with_its_index_at_the_end_is_probed_and_catalogued()
    {
        var clip = Folder.Combine("A0001_123456_20261122080000.mp4");
        await Footage.H264AacAsync(clip, Token, seconds: 2, size: "320x240");

        var (recording, result) = await ProbeAsync(clip);

        Assert.True(result.Playable);
        var probe = result.Probe;
        Assert.Equal(MediaKind.Video, probe.Kind);
        Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.FormatName);
        Assert.Equal(2.0, probe.DurationSeconds!.Value, 1);
        Assert.Equal(("h264", "Constrained Baseline", "yuv420p", 8, 320, 240, 0), (probe.Video!.Codec, probe.Video.Profile, probe.Video.PixelFormat, probe.Video.BitDepth, probe.Video.Width, probe.Video.Height, probe.Video.Rotation));
        Assert.Equal(30.0, probe.Video.FramesPerSecond);
        Assert.Equal(("aac", 48000), (probe.Audio!.Codec, probe.Audio.SampleRate));
        Assert.Contains("\"codec_name\": \"h264\"", result.RawJson, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", result.RawJson, StringComparison.Ordinal);
        Assert.Equal(["recording.ingested", "recording.probed"], await Harness.AuditActionsAsync(recording.RecordingId));
        Assert.Equal(1L, await Harness.ScalarAsync<long>("SELECT count(*) FROM media_probes WHERE recording_id = @RecordingId AND (raw -> 'format' ->> 'format_name') = 'mov,mp4,m4a,3gp,3g2,mj2'", new { recording.RecordingId }));
    }

    [Fact]
    public async Task A_zero_byte_file_is_kept_and_catalogued_as_unplayable_with_ffprobes_reason()
    {
        var empty = Folder.Combine("empty.mp4");
        await File.WriteAllBytesAsync(empty, [], Token);

        var (recording, result) = await ProbeAsync(empty);

        await AssertUnplayableAsync(recording, result, "Invalid data found when processing input");
        Assert.Equal(MediaKind.Unknown, result.Probe.Kind);
    }

    [Fact]
    public async Task A_truncated_mp4_without_its_index_is_unplayable_because_the_moov_is_missing()
    {
        var whole = Folder.Combine("whole.mp4");
        await Footage.H264AacAsync(whole, Token, seconds: 3);
        var truncated = Folder.Combine("truncated.mp4");
        var bytes = await File.ReadAllBytesAsync(whole, Token);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], Token);

        var (recording, result) = await ProbeAsync(truncated);

        await AssertUnplayableAsync(recording, result, "moov atom not found");
    }

    [Fact]
    public async Task A_text_file_named_mp4_is_unplayable()
    {
        var text = Folder.Combine("notes.mp4");
        await File.WriteAllTextAsync(text, "Officer notes: this is not a video.\n", Token);

        var (recording, result) = await ProbeAsync(text);

        await AssertUnplayableAsync(recording, result, "Invalid data found when processing input");
    }

    [Fact]
    public async Task A_file_with_no_streams_and_zero_duration_is_unplayable()
    {
        var zero = Folder.Combine("zero.mp4");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30", "-f", "lavfi", "-i", "sine", "-t", "0", "-c:v", "libx264", "-c:a", "aac", zero);

        var (recording, result) = await ProbeAsync(zero);

        await AssertUnplayableAsync(recording, result, "zero duration");
        Assert.Contains("\"nb_streams\": 0", result.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jpeg_photo_is_a_photo()
    {
        var photo = Folder.Combine("A0001_123456_20261122080000.jpg");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "testsrc2=s=640x480", "-frames:v", "1", photo);

        var (recording, result) = await ProbeAsync(photo);

        Assert.True(result.Playable);
        Assert.Equal(MediaKind.Photo, result.Probe.Kind);
        Assert.Equal((640, 480), (result.Probe.Video!.Width, result.Probe.Video.Height));
        Assert.Equal(["recording.ingested", "recording.probed"], await Harness.AuditActionsAsync(recording.RecordingId));
    }

    [Fact]
    public async Task Audio_only_is_audio()
    {
        var audio = Folder.Combine("interview.m4a");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "sine=f=300:sample_rate=16000:d=2", "-c:a", "aac", audio);

        var (_, result) = await ProbeAsync(audio);

        Assert.Equal(MediaKind.Audio, result.Probe.Kind);
        Assert.Null(result.Probe.Video);
        Assert.Equal(("aac", 16000), (result.Probe.Audio!.Codec, result.Probe.Audio.SampleRate));
        Assert.Equal(2.0, result.Probe.DurationSeconds!.Value, 1);
    }

    [Fact]
    public async Task A_portrait_phone_clip_records_a_rotation_of_90_and_upright_dimensions()
    {
        var sensor = Folder.Combine("sensor.mp4");
        await Footage.H264AacAsync(sensor, Token, seconds: 1, size: "320x240");
        var phone = Folder.Combine("VID_20261122_080000.mp4");

        // ffmpeg 5.1 writes the rotate tag as a counter-clockwise matrix: 270 gives the phones' "turn 90° clockwise".
        await Footage.FfmpegAsync(Token, "-i", sensor, "-c", "copy", "-metadata:s:v:0", "rotate=270", phone);

        var (_, result) = await ProbeAsync(phone);

        Assert.Equal(90, result.Probe.Video!.Rotation);
        Assert.Equal((240, 320), (result.Probe.Video.DisplayWidth, result.Probe.Video.DisplayHeight));
    }

    [Theory]
    [InlineData("hevc.mp4")]
    [InlineData("hevc.jpg")]
    [InlineData("hevc")]
    public async Task A_file_whose_extension_lies_is_probed_by_its_content(string name)
    {
        var mkv = Folder.Combine(name);
        await Footage.FfmpegAsync(
            Token,
            ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error", .. Footage.Unique(), "-f", "matroska", mkv]);

        var (_, result) = await ProbeAsync(mkv);

        Assert.Equal(MediaKind.Video, result.Probe.Kind);
        Assert.Equal("matroska,webm", result.Probe.FormatName);
        Assert.Equal(("hevc", 10), (result.Probe.Video!.Codec, result.Probe.Video.BitDepth));
    }

    [Fact]
    public async Task A_playlist_disguised_as_a_recording_cannot_make_ffprobe_fetch_other_addresses()
    {
        using var canary = new TcpListener(IPAddress.Loopback, 0);
        canary.Start();
        var playlist = Folder.Combine("clip.mp4");
        await File.WriteAllTextAsync(
            playlist,
            $"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:{((IPEndPoint)canary.LocalEndpoint).Port}/secret.ts\n#EXT-X-ENDLIST\n",
            Token);

        var (recording, result) = await ProbeAsync(playlist);

        await AssertUnplayableAsync(recording, result, "Format not on whitelist");
        Assert.False(canary.Pending(), "ffprobe connected to an address named inside the file");
    }

    [Fact]
    public async Task A_store_failure_while_ffprobe_reads_retries_the_job_and_never_marks_the_recording_unplayable()
    {
        var clip = Folder.Combine("clip.mp4");
        await Footage.H264AacAsync(clip, Token, seconds: 2);
        var recording = await Harness.IngestAsync(clip);
        await using var broken = new MediaHarness(Catalogue, new FailingReads(Store, failAfter: 10_000));

        var (state, lastError) = await broken.RunJobAsync(broken.ProbeHandler, recording.RecordingId);

        Assert.Equal("queued", state);
        Assert.StartsWith(nameof(Enforcement.Media.Ingest.Media.Sources.MediaSourceException), lastError, StringComparison.Ordinal);
        Assert.Equal(MediaStates.Unprobed, await Harness.MediaStateAsync(recording.RecordingId));
        Assert.Null(await Harness.Probes.FindAsync(recording.RecordingId, Token));
        Assert.Equal(["recording.ingested"], await Harness.AuditActionsAsync(recording.RecordingId));
    }

    [Fact]
    public async Task Without_ffprobe_the_job_is_retried_and_the_recording_stays_unprobed()
    {
        var clip = Folder.Combine("clip.mp4");
        await Footage.H264AacAsync(clip, Token, seconds: 1);
        var recording = await Harness.IngestAsync(clip);
        await using var missing = new MediaHarness(Catalogue, Store, new MediaOptions { FfprobePath = Folder.Combine("not-installed", "ffprobe") });

        var (state, lastError) = await missing.RunJobAsync(missing.ProbeHandler, recording.RecordingId);

        Assert.Equal("queued", state);
        Assert.Contains("ffprobe could not be started", lastError, StringComparison.Ordinal);
        Assert.Equal(MediaStates.Unprobed, await Harness.MediaStateAsync(recording.RecordingId));
    }

    [Fact]
    public async Task Probing_again_replaces_the_result_and_audits_again()
    {
        var clip = Folder.Combine("again.mp4");
        await Footage.H264AacAsync(clip, Token, seconds: 1);
        var (recording, _) = await ProbeAsync(clip);
        await Harness.Queue.EnqueueAsync(new Enforcement.Media.Storage.Jobs.JobRequest(RecordingArchive.ProbeJob, recording.RecordingId), Token);

        var (state, _) = await Harness.RunJobAsync(Harness.ProbeHandler, recording.RecordingId);

        Assert.Equal("succeeded", state);
        Assert.Equal(1L, await Harness.ScalarAsync<long>("SELECT count(*) FROM media_probes WHERE recording_id = @RecordingId", new { recording.RecordingId }));
        Assert.Equal(["recording.ingested", "recording.probed", "recording.probed"], await Harness.AuditActionsAsync(recording.RecordingId));
    }
}

public sealed class FileSystemProbeJobTests : ProbeJobTests, IClassFixture<CatalogueFixture>
{
    public FileSystemProbeJobTests(CatalogueFixture catalogue)
        : base(catalogue)
    {
        Store = new FileSystemEvidenceStore(Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = StoreFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    protected override IEvidenceStore Store { get; }
}

public sealed class S3ProbeJobTests(CatalogueFixture catalogue, S3BucketFixture bucket)
    : ProbeJobTests(catalogue), IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    protected override IEvidenceStore Store => bucket.Store;
}
