using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// The awkward inputs a rendition must cope with (damaged, truncated, HEVC 10-bit, MJPEG AVI, rotated,
/// variable frame rate, interlaced, 4K, audio only, photos, zero duration, a lying extension), generated
/// with lavfi, run through ingest → probe → rendition job with the real ffmpeg, PostgreSQL and store;
/// each output checked with ffprobe (H.264/AAC, duration within 0.1 s, moov before mdat, upright) and
/// the original checked byte for byte afterwards.
/// </summary>
public sealed class RenditionBadInputTests : MediaJobTestBase, IClassFixture<CatalogueFixture>
{
    public RenditionBadInputTests(CatalogueFixture catalogue)
        : base(catalogue)
    {
        Store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = StoreFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    protected override IEvidenceStore Store { get; }

    private async Task<string> ClipAsync(string name, double seconds = 2, bool faststart = false, string size = "320x240")
    {
        var path = Folder.Combine(name);
        await Footage.H264AacAsync(path, Token, seconds, size, faststart: faststart);
        return path;
    }

    [Fact]
    public async Task An_h264_aac_recording_is_remuxed_without_reencoding()
    {
        var source = await ClipAsync("A0001_123456_20261122080000.mp4");

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source));
        Assert.Equal("remux", playback.Method);
        Assert.Equal(await OutputProbe.VideoPacketsHashAsync(source, Token), await OutputProbe.VideoPacketsHashAsync(path, Token));
        Assert.Equal((320, 240), (output.Width, output.Height));
    }

    [Fact]
    public async Task Corrupted_bytes_in_the_middle_of_an_h264_file_still_give_a_full_length_rendition_with_the_damage_reported()
    {
        var clean = await ClipAsync("clean.mp4", seconds: 3, faststart: true);
        var bytes = await File.ReadAllBytesAsync(clean, Token);
        var garbage = Bytes.Random(20_000, seed: 4);
        garbage.CopyTo(bytes, bytes.Length / 2);
        var damaged = Folder.Combine("damaged.mp4");
        await File.WriteAllBytesAsync(damaged, bytes, Token);

        var (recording, _, output, path) = await RenditionOfAsync(damaged);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(clean));
    }

    [Fact]
    public async Task A_truncated_file_gives_a_rendition_of_what_is_there_and_its_provenance_says_it_was_cut_short()
    {
        var whole = await ClipAsync("whole.mp4", seconds: 3, faststart: true);
        var bytes = await File.ReadAllBytesAsync(whole, Token);
        var truncated = Folder.Combine("truncated.mp4");
        await File.WriteAllBytesAsync(truncated, bytes[..(int)(bytes.Length * 0.6)], Token);

        var (recording, _, output, path) = await RenditionOfAsync(truncated);

        // The index still promises 3 s; only the bytes that arrived can be played.
        Assert.InRange(output.Duration, 0.5, 2.9);
        await AssertPlaybackAsync(recording, output, path, output.Duration);
    }

    [Fact]
    public async Task A_truncated_file_without_its_index_gets_no_rendition_and_stays_stored()
    {
        var whole = await ClipAsync("whole-moov-at-end.mp4", seconds: 3);
        var bytes = await File.ReadAllBytesAsync(whole, Token);
        var truncated = Folder.Combine("cut.mp4");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], Token);

        var recording = await Harness.IngestAndProbeAsync(truncated);

        Assert.Equal(MediaStates.Unplayable, await Harness.MediaStateAsync(recording.RecordingId));
        Assert.Equal(0L, await Harness.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE recording_id = @RecordingId AND kind IN ('rendition', 'thumbnails')", new { recording.RecordingId }));
        await AssertOriginalUnchangedAsync(recording);
    }

    [Fact]
    public async Task Hevc_10_bit_in_matroska_is_transcoded_to_8_bit_h264()
    {
        var source = Folder.Combine("hevc10.mkv");
        await Footage.FfmpegAsync(
            Token,
            [
                "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=2", "-f", "lavfi", "-i", "sine=d=2",
                "-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error", "-c:a", "aac", "-shortest", .. Footage.Unique(), source,
            ]);

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source));
        Assert.Equal("transcode", playback.Method);
        Assert.Equal((320, 240), (output.Width, output.Height));
    }

    [Fact]
    public async Task An_old_recorders_mjpeg_avi_with_pcm_audio_becomes_h264_and_aac()
    {
        var source = Folder.Combine("old-recorder.avi");
        await Footage.FfmpegAsync(
            Token,
            [
                "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-f", "lavfi", "-i", "sine=sample_rate=8000:d=2",
                "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p", "-c:a", "pcm_s16le", "-shortest", .. Footage.Unique(), source,
            ]);

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source));
        Assert.Equal("transcode", playback.Method);
    }

    [Fact]
    public async Task A_portrait_phone_clip_with_rotation_90_is_rendered_upright()
    {
        // The upright picture: red above blue, 240×320. A phone stores it turned on its side (320×240)
        // and says "turn 90° clockwise" in the display matrix. (ffmpeg 5.1 writes rotate=270 as that matrix.)
        var sensor = Folder.Combine("sensor.mp4");
        await Footage.FfmpegAsync(
            Token,
            [
                "-f", "lavfi", "-i", "color=c=red:s=240x160:r=30:d=2", "-f", "lavfi", "-i", "color=c=blue:s=240x160:r=30:d=2",
                "-f", "lavfi", "-i", "sine=d=2", "-filter_complex", "[0:v][1:v]vstack,transpose=cclock[v]", "-map", "[v]", "-map", "2:a",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", .. Footage.Unique(), sensor,
            ]);
        var phone = Folder.Combine("VID_20261122_080000.mp4");
        await Footage.FfmpegAsync(Token, "-i", sensor, "-c", "copy", "-metadata:s:v:0", "rotate=270", phone);

        var (recording, playback, output, path) = await RenditionOfAsync(phone);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(phone));
        Assert.Equal("transcode", playback.Method);
        Assert.Equal((240, 320), (output.Width, output.Height));
        var top = await OutputProbe.BandColourAsync(path, 240, 20, Token);
        var bottom = await OutputProbe.BandColourAsync(path, 240, 290, Token);
        Assert.True(top.R > 180 && top.B < 80, $"the top should be red, is {top}");
        Assert.True(bottom.B > 180 && bottom.R < 80, $"the bottom should be blue, is {bottom}");
    }

    [Fact]
    public async Task Variable_frame_rate_keeps_every_frame_at_its_own_time()
    {
        var source = Folder.Combine("vfr.mp4");
        await Footage.FfmpegAsync(
            Token,
            [
                "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=3", "-f", "lavfi", "-i", "sine=d=10",
                "-vf", "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", .. Footage.Unique(), source,
            ]);
        var sourceProbe = await OutputProbe.ReadAsync(source, Token);

        var (recording, _, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, sourceProbe.Duration);
        Assert.Equal(sourceProbe.VideoFrames, output.VideoFrames);
    }

    [Fact]
    public async Task Variable_frame_rate_that_must_be_transcoded_keeps_every_frame_too()
    {
        var source = Folder.Combine("vfr-hevc.mkv");
        await Footage.FfmpegAsync(
            Token,
            [
                "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=3",
                "-vf", "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", "-fps_mode", "vfr", "-c:v", "libx265", "-x265-params", "log-level=error",
                .. Footage.Unique(), source,
            ]);
        var sourceProbe = await OutputProbe.ReadAsync(source, Token);

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, sourceProbe.Duration, audio: false);
        Assert.Equal("transcode", playback.Method);
        Assert.Equal(sourceProbe.VideoFrames, output.VideoFrames);
    }

    [Fact]
    public async Task A_recording_without_an_audio_track_gets_a_video_only_rendition()
    {
        var source = Folder.Combine("silent.mp4");
        await Footage.FfmpegAsync(Token, ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", .. Footage.Unique(), source]);

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source), audio: false);
        Assert.Equal("remux", playback.Method);
    }

    [Theory]
    [InlineData("interview.m4a", "aac", "remux")]
    [InlineData("interview.wav", "pcm_s16le", "transcode")]
    [InlineData("interview.mp3", "libmp3lame", "transcode")]
    public async Task Audio_only_becomes_aac_in_mp4(string name, string codec, string method)
    {
        var source = Folder.Combine(name);
        await Footage.FfmpegAsync(Token, ["-f", "lavfi", "-i", "sine=f=300:sample_rate=44100:d=2", "-c:a", codec, .. Footage.Unique(), source]);

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source), video: false);
        Assert.Equal(method, playback.Method);
        Assert.Equal("audio/mp4", playback.ContentType);
    }

    [Fact]
    public async Task Interlaced_video_is_deinterlaced()
    {
        var source = Folder.Combine("interlaced.mp4");
        await Footage.FfmpegAsync(
            Token,
            ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "libx264", "-flags", "+ildct+ilme", "-x264-params", "tff=1", "-pix_fmt", "yuv420p", .. Footage.Unique(), source]);

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source), audio: false);
        Assert.Equal("transcode", playback.Method);
        Assert.Equal("progressive", output.FieldOrder);
    }

    [Fact]
    public async Task Four_k_footage_is_brought_down_to_1080p()
    {
        var source = await ClipAsync("4k.mp4", seconds: 1, size: "3840x2160");

        var (recording, playback, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source));
        Assert.Equal("transcode", playback.Method);
        Assert.Equal((1920, 1080), (output.Width, output.Height));
        Assert.Equal((1920, 1080), (playback.Width, playback.Height));
    }

    [Fact]
    public async Task A_jpeg_photo_gets_a_still_viewing_copy_and_a_poster()
    {
        var photo = Folder.Combine("A0001_123456_20261122080000.jpg");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "testsrc2=s=1280x960", "-frames:v", "1", photo);

        var recording = await Harness.IngestAndProbeAsync(photo);

        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId));
        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.ThumbnailsHandler, recording.RecordingId));
        var current = (await Harness.Derivations.CurrentAsync(recording.RecordingId, Token)).OrderBy(d => d.Role).ToList();
        Assert.Equal(2, current.Count);
        var poster = Assert.Single(current, d => d.Role == DerivationRole.Poster);
        Assert.Equal(("photo", 640, 480), (poster.Method, poster.Width, poster.Height));
        var still = Assert.Single(current, d => d.Role == DerivationRole.Playback);
        Assert.Equal(("still", 1280, 960, "image/jpeg"), (still.Method, still.Width, still.Height, still.ContentType));
        await AssertOriginalUnchangedAsync(recording);
    }

    [Fact]
    public async Task A_zero_duration_file_gets_no_rendition()
    {
        var zero = Folder.Combine("zero.mp4");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30", "-f", "lavfi", "-i", "sine", "-t", "0", "-c:v", "libx264", "-c:a", "aac", zero);

        var recording = await Harness.IngestAndProbeAsync(zero);

        Assert.Equal(MediaStates.Unplayable, await Harness.MediaStateAsync(recording.RecordingId));
        Assert.Equal(0L, await Harness.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE recording_id = @RecordingId AND kind IN ('rendition', 'thumbnails')", new { recording.RecordingId }));
        Assert.Empty(await Harness.Derivations.ListAsync(recording.RecordingId, Token));
        await AssertOriginalUnchangedAsync(recording);
    }

    [Fact]
    public async Task A_file_whose_extension_lies_is_rendered_by_what_it_contains()
    {
        var source = Folder.Combine("A0001_123456_20261122080000.jpg");
        await Footage.FfmpegAsync(
            Token,
            [
                "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-f", "lavfi", "-i", "sine=sample_rate=8000:d=2",
                "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-c:a", "pcm_s16le", "-shortest", .. Footage.Unique(), "-f", "avi", source,
            ]);

        var (recording, _, output, path) = await RenditionOfAsync(source);

        await AssertPlaybackAsync(recording, output, path, await DurationOfAsync(source));
    }

    [Fact]
    public async Task Thumbnails_of_an_undecodable_video_each_fail_with_ffmpegs_reason_and_the_job_is_retried()
    {
        var avi = Folder.Combine("undecodable.avi");
        await Footage.UndecodableAviAsync(avi, Token);
        var recording = await Harness.IngestAndProbeAsync(avi);

        var (state, lastError) = await Harness.RunJobAsync(Harness.ThumbnailsHandler, recording.RecordingId);

        Assert.Equal("queued", state);
        Assert.Contains("poster", lastError, StringComparison.Ordinal);
        var attempts = await Harness.Derivations.ListAsync(recording.RecordingId, Token);

        // The poster a tenth in, then from the first frame; the sprite sheet was still tried; no track without a sheet.
        Assert.Equal([DerivationRole.Poster, DerivationRole.Poster, DerivationRole.SpriteSheet], attempts.Select(a => a.Role));
        Assert.All(attempts, a => Assert.False(a.Succeeded));
        Assert.All(attempts, a => Assert.Contains("Decoder (codec none) not found", a.ErrorTail, StringComparison.Ordinal));
        Assert.Contains("-ss", attempts[0].Arguments);
        Assert.DoesNotContain("-ss", attempts[1].Arguments);
        await AssertOriginalUnchangedAsync(recording);
    }
}
