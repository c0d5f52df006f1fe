using System.Security.Cryptography;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// Derivatives as evidence-store objects, on each store: sealed at least as long as their original,
/// catalogued with their kind and provenance, failures recorded, re-makeable; originals untouched.
/// </summary>
public abstract class DerivativeStorageTests(CatalogueFixture catalogue) : MediaJobTestBase(catalogue)
{
    protected override MediaOptions Options => new() { WorkFolder = Folder.Combine("work"), MaxAttempts = 2 };

    private async Task<string> ClipAsync(string name, double seconds = 2)
    {
        var path = Folder.Combine(name);
        await Footage.H264AacAsync(path, Token, seconds);
        return path;
    }

    private async Task AssertSealedAtLeastAsLongAsTheOriginalAsync(Guid recordingId, CurrentDerivative derivative)
    {
        var original = (await Harness.Probes.FindOriginalAsync(recordingId, Token))!;
        var originalLock = await Store.GetRetentionAsync(original.Location, Token);
        var derivativeLock = await Store.GetRetentionAsync(derivative.Location, Token);
        Assert.NotNull(derivativeLock.RetainUntil);
        Assert.True(derivativeLock.RetainUntil >= originalLock.RetainUntil, $"{derivative.Role} is locked until {derivativeLock.RetainUntil:O}, its original until {originalLock.RetainUntil:O}");
        Assert.True(derivativeLock.RetainUntil >= original.RetainUntil);
        Assert.Equal(ObjectRetention.Compliance, derivativeLock.Mode);
    }

    private async Task<byte[]> ReadAsync(ObjectRef location) => await Bytes.ReadAllAsync(await Store.OpenReadAsync(location, null, Token), Token);

    [Fact]
    public async Task A_rendition_is_its_own_sealed_object_tied_to_its_original_with_full_provenance()
    {
        var source = await ClipAsync("A0001_123456_20261122080000.mp4");

        var (recording, playback, _, path) = await RenditionOfAsync(source);

        await AssertSealedAtLeastAsLongAsTheOriginalAsync(recording.RecordingId, playback);
        Assert.NotEqual(recording.Location, playback.Location);
        Assert.Equal("video/mp4", playback.ContentType);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, Token))), playback.Sha256.Hex);
        var row = Assert.Single(await Harness.QueryAsync<(string, Guid)>("SELECT kind, recording_id FROM stored_objects WHERE id = @ObjectId", new { playback.ObjectId }));
        Assert.Equal(("rendition", recording.RecordingId), row);

        var derivation = Assert.Single(await Harness.Derivations.ListAsync(recording.RecordingId, Token), d => d.Role == DerivationRole.Playback);
        Assert.True(derivation.Succeeded);
        Assert.Equal(recording.Sha256, derivation.InputSha256);
        Assert.Equal(playback.Sha256, derivation.OutputSha256);
        Assert.Equal(("ffmpeg", await Harness.Runner.GetVersionAsync(MediaTool.Ffmpeg, Token)), (derivation.Tool, derivation.ToolVersion));
        Assert.Contains($"original:sha256:{recording.Sha256.Hex}", derivation.Arguments);
        Assert.Equal("playback.mp4", derivation.Arguments[^1]);
        Assert.Contains("+faststart", derivation.Arguments);
        Assert.DoesNotContain(derivation.Arguments, a => a.Contains("127.0.0.1", StringComparison.Ordinal) || a.Contains(Folder.Path, StringComparison.Ordinal));
        Assert.True(derivation.StartedAt <= derivation.FinishedAt);
        Assert.NotNull(derivation.JobId);
        Assert.Equal(["recording.ingested", "recording.probed", "recording.derivative-made"], await Harness.AuditActionsAsync(recording.RecordingId));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder.Combine("work")));
    }

    [Fact]
    public async Task The_recorded_arguments_make_the_same_rendition_again_from_the_original()
    {
        var source = await ClipAsync("reproduce.mp4");
        var (recording, playback, _, _) = await RenditionOfAsync(source);
        var derivation = Assert.Single(await Harness.Derivations.ListAsync(recording.RecordingId, Token));
        var original = await Harness.DownloadAsync(recording.Location, Folder.Combine("original-copy"));
        var output = Folder.Combine("again.mp4");

        // What a reviewer or an expert would do with the provenance: run the same arguments on the original.
        var arguments = derivation.Arguments.Select(a => a == $"original:sha256:{recording.Sha256.Hex}" ? original : a == "playback.mp4" ? output : a).ToList();
        await Harness.Runner.RunAsync(MediaTool.Ffmpeg, arguments, Token);

        Assert.Equal(playback.Sha256.Hex, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(output, Token))));
    }

    [Fact]
    public async Task The_recorded_arguments_are_byte_for_byte_those_ffmpeg_was_started_with()
    {
        // Media:FfmpegPath names a wrapper that writes down the argv it was given (NUL-separated), then runs ffmpeg.
        var argv = Folder.Combine("argv");
        var wrapper = Folder.Combine("recording-ffmpeg");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nprintf '%s\\0' \"$@\" > '{argv}'\nexec ffmpeg \"$@\"\n", Token);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        await using var harness = new MediaHarness(Catalogue, Store, new MediaOptions { WorkFolder = Folder.Combine("work"), FfmpegPath = wrapper });
        var recording = await harness.IngestAndProbeAsync(await ClipAsync("argv.mp4"));

        Assert.Equal(("succeeded", null), await harness.RunJobAsync(harness.RenditionHandler, recording.RecordingId));

        var recorded = Assert.Single(await harness.Derivations.ListAsync(recording.RecordingId, Token)).Arguments;
        var ran = (await File.ReadAllTextAsync(argv, Token)).Split('\0')[..^1];
        Assert.Equal(recorded.Count, ran.Length);
        for (var i = 0; i < ran.Length; i++)
        {
            // The two substitutions the provenance makes, and nothing else.
            if (recorded[i] == $"original:sha256:{recording.Sha256.Hex}")
            {
                Assert.StartsWith("http://127.0.0.1:", ran[i], StringComparison.Ordinal);
            }
            else if (recorded[i] == "playback.mp4")
            {
                Assert.Equal(Folder.Combine("work"), Path.GetDirectoryName(Path.GetDirectoryName(ran[i])));
                Assert.Equal("playback.mp4", Path.GetFileName(ran[i]));
            }
            else
            {
                Assert.Equal(recorded[i], ran[i]);
            }
        }
    }

    [Fact]
    public async Task Thumbnails_are_a_poster_a_sprite_sheet_and_a_webvtt_track_each_sealed_and_catalogued()
    {
        var source = await ClipAsync("thumbs.mp4", seconds: 3);
        var recording = await Harness.IngestAndProbeAsync(source);

        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.ThumbnailsHandler, recording.RecordingId));

        var current = (await Harness.Derivations.CurrentAsync(recording.RecordingId, Token)).ToDictionary(d => d.Role);
        Assert.Equal([DerivationRole.Poster, DerivationRole.SpriteSheet, DerivationRole.SpriteTrack], current.Keys.Order());
        foreach (var derivative in current.Values)
        {
            await AssertSealedAtLeastAsLongAsTheOriginalAsync(recording.RecordingId, derivative);
        }

        var poster = current[DerivationRole.Poster];
        Assert.Equal(("frame", "image/jpeg", 320, 240), (poster.Method, poster.ContentType, poster.Width, poster.Height));
        var posterImage = await OutputProbe.ReadAsync(await Harness.DownloadAsync(poster.Location, Folder.Combine("poster.jpg")), Token);
        Assert.Equal(("mjpeg", 320, 240), (posterImage.VideoCodec, posterImage.Width, posterImage.Height));

        // 3 s at one tile a second: 3 tiles of 160×120 in one row.
        var sheet = current[DerivationRole.SpriteSheet];
        Assert.Equal(("image/jpeg", 480, 120), (sheet.ContentType, sheet.Width, sheet.Height));
        var track = current[DerivationRole.SpriteTrack];
        Assert.Equal("text/vtt", track.ContentType);
        var vtt = System.Text.Encoding.UTF8.GetString(await ReadAsync(track.Location));
        Assert.Equal(
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nsprite.jpg#xywh=0,0,160,120\n\n00:00:01.000 --> 00:00:02.000\nsprite.jpg#xywh=160,0,160,120\n\n00:00:02.000 --> 00:00:03.000\nsprite.jpg#xywh=320,0,160,120\n",
            vtt);

        var kinds = await Harness.QueryAsync<string>("SELECT kind FROM stored_objects WHERE recording_id = @RecordingId ORDER BY kind", new { recording.RecordingId });
        Assert.Equal(["original", "sprite", "sprite", "thumbnail"], kinds);
        await AssertOriginalUnchangedAsync(recording);
    }

    [Fact]
    public async Task Audio_only_evidence_gets_a_waveform_poster()
    {
        var source = Folder.Combine("interview.m4a");
        await Footage.FfmpegAsync(Token, ["-f", "lavfi", "-i", "sine=f=300:d=2", "-c:a", "aac", .. Footage.Unique(), source]);
        var recording = await Harness.IngestAndProbeAsync(source);

        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.ThumbnailsHandler, recording.RecordingId));

        var poster = Assert.Single(await Harness.Derivations.CurrentAsync(recording.RecordingId, Token));
        Assert.Equal((DerivationRole.Poster, "waveform", 640, 160), (poster.Role, poster.Method, poster.Width, poster.Height));
    }

    [Fact]
    public async Task An_unsupported_codec_fails_the_rendition_with_ffmpegs_reason_retries_are_bounded_and_the_original_stays_available()
    {
        var avi = Folder.Combine("mystery.avi");
        var bytes = await Footage.UndecodableAviAsync(avi, Token);
        var recording = await Harness.IngestAndProbeAsync(avi);
        Assert.Equal(MediaStates.Probed, await Harness.MediaStateAsync(recording.RecordingId));

        var first = await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId);
        await Harness.MakeReadyAsync(MediaJobs.Rendition, recording.RecordingId);
        var second = await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId);

        Assert.Equal("queued", first.State);
        Assert.Contains("Decoder (codec none) not found", first.LastError, StringComparison.Ordinal);
        Assert.Equal("failed", second.State);
        var attempts = await Harness.Derivations.ListAsync(recording.RecordingId, Token);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.False(a.Succeeded);
            Assert.Equal(DerivationRole.Playback, a.Role);
            Assert.Null(a.ObjectId);
            Assert.Contains("Decoder (codec none) not found", a.ErrorTail, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", a.ErrorTail, StringComparison.Ordinal);
        });
        Assert.Empty(await Harness.Derivations.CurrentAsync(recording.RecordingId, Token));
        Assert.Equal(2, (await Harness.AuditActionsAsync(recording.RecordingId)).Count(a => a == "recording.derivative-failed"));
        Assert.Equal(bytes, await ReadAsync(recording.Location));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder.Combine("work")));
    }

    [Fact]
    public async Task A_rendition_can_be_made_again_and_both_stay_in_the_provenance()
    {
        var source = await ClipAsync("remake.mp4");
        var (recording, first, _, _) = await RenditionOfAsync(source);
        await Harness.Queue.EnqueueAsync(new JobRequest(MediaJobs.Rendition, recording.RecordingId, new { remake = true }), Token);

        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId));

        var attempts = await Harness.Derivations.ListAsync(recording.RecordingId, Token);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.True(a.Succeeded));
        Assert.Equal(attempts[0].Arguments, attempts[1].Arguments);

        // A remux is deterministic: the same bytes again.
        Assert.Equal(attempts[0].OutputSha256, attempts[1].OutputSha256);
        var current = Assert.Single(await Harness.Derivations.CurrentAsync(recording.RecordingId, Token));
        Assert.Equal(attempts[1].Id, current.DerivationId);
        Assert.Equal(first.Sha256, current.Sha256);
        Assert.Equal(first.Sha256.Hex, Convert.ToHexStringLower(SHA256.HashData(await ReadAsync(current.Location))));
        await AssertOriginalUnchangedAsync(recording);
    }

    [Fact]
    public async Task A_rendition_job_run_again_does_not_make_a_second_copy()
    {
        var source = await ClipAsync("once.mp4");
        var (recording, _, _, _) = await RenditionOfAsync(source);
        await Harness.Queue.EnqueueAsync(new JobRequest(MediaJobs.Rendition, recording.RecordingId), Token);

        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.RenditionHandler, recording.RecordingId));

        Assert.Single(await Harness.Derivations.ListAsync(recording.RecordingId, Token));
    }

    [Fact]
    public async Task A_store_failure_while_ffmpeg_reads_is_retried_without_blaming_the_recording()
    {
        var source = await ClipAsync("store-fails.mp4");
        var recording = await Harness.IngestAndProbeAsync(source);
        await using var broken = new MediaHarness(Catalogue, new FailingReads(Store, failAfter: 50_000), Options);

        var (state, lastError) = await broken.RunJobAsync(broken.RenditionHandler, recording.RecordingId);

        Assert.Equal("queued", state);
        Assert.StartsWith(nameof(Enforcement.Media.Ingest.Media.Sources.MediaSourceException), lastError, StringComparison.Ordinal);
        Assert.Empty(await Harness.Derivations.ListAsync(recording.RecordingId, Token));
        Assert.Equal(MediaStates.Probed, await Harness.MediaStateAsync(recording.RecordingId));
        Assert.Equal(0L, await Harness.ScalarAsync<long>("SELECT count(*) FROM pending_writes"));
    }
}

public sealed class FileSystemDerivativeStorageTests : DerivativeStorageTests, IClassFixture<CatalogueFixture>
{
    public FileSystemDerivativeStorageTests(CatalogueFixture catalogue)
        : base(catalogue)
    {
        Store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = StoreFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    protected override IEvidenceStore Store { get; }
}

public sealed class S3DerivativeStorageTests(CatalogueFixture catalogue, S3BucketFixture bucket)
    : DerivativeStorageTests(catalogue), IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    protected override IEvidenceStore Store => bucket.Store;
}
