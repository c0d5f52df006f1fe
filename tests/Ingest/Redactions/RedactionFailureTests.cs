using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// Redactions that cannot be rendered fail with a reason a reviewer can read and store nothing; those
/// that will never succeed are not retried; an outage is retried and, on the last attempt, fails the
/// redaction rather than leaving it rendering for ever.
/// </summary>
public sealed class RedactionFailureTests(CatalogueFixture catalogue) : RedactionTestBase(catalogue), IClassFixture<CatalogueFixture>
{
    private static readonly RedactionSpec Blur = new([new RedactionRegion(RedactionRegion.Rectangle, [new RegionKeyframe(0, 0.1, 0.1, 0.2, 0.2)])], null, null);

    private Task<long> RedactedObjectsAsync() => Harness.ScalarAsync<long>("SELECT count(*) FROM stored_objects WHERE kind = 'redacted'");

    [Fact]
    public async Task An_unplayable_recording_fails_the_redaction_with_the_reason_and_stores_nothing()
    {
        var path = Folder.Combine("not-media.mp4");
        await File.WriteAllBytesAsync(path, Bytes.Random(20_000, seed: 41), Token);
        var recordingId = (await Harness.IngestAndProbeAsync(path)).RecordingId;
        Assert.Equal(MediaStates.Unplayable, await Harness.MediaStateAsync(recordingId));
        var objects = await RedactedObjectsAsync();

        var redaction = await Redactions.RenderAsync(recordingId, Blur);

        Assert.Equal(RedactionState.Failed, redaction.State);
        Assert.StartsWith("The recording is unplayable: ", redaction.Failure, StringComparison.Ordinal);
        Assert.Null(redaction.Output);
        Assert.Empty(await Harness.Derivations.ListForRedactionAsync(redaction.Id, Token));
        Assert.Equal(objects, await RedactedObjectsAsync());
    }

    [Fact]
    public async Task A_disposed_recording_is_not_redacted()
    {
        var (recordingId, _) = await MovingPatchAsync(seconds: 1);
        await Harness.ExecuteAsync("UPDATE recordings SET disposed_at = now(), disposed_by = 'user:records', disposal_reason = 'period ended' WHERE id = @recordingId", new { recordingId });

        var redaction = await Redactions.RenderAsync(recordingId, Blur);

        Assert.Equal((RedactionState.Failed, "The recording was disposed of: there is nothing left to redact."), (redaction.State, redaction.Failure));
        Assert.Empty(await Harness.Derivations.ListForRedactionAsync(redaction.Id, Token));
    }

    [Fact]
    public async Task What_ffmpeg_refuses_fails_at_once_with_its_words_in_the_provenance()
    {
        var avi = Folder.Combine("undecodable.avi");
        await Footage.UndecodableAviAsync(avi, Token);
        var recordingId = (await Harness.IngestAndProbeAsync(avi)).RecordingId;

        var redaction = await Redactions.RenderAsync(recordingId, Blur, expectedJobState: "succeeded");

        Assert.Equal(RedactionState.Failed, redaction.State);
        Assert.Contains("Decoder (codec none) not found", redaction.Failure, StringComparison.Ordinal);
        var attempt = Assert.Single(await Harness.Derivations.ListForRedactionAsync(redaction.Id, Token));
        Assert.Equal((DerivationRole.Redacted, false, redaction.Id), (attempt.Role, attempt.Succeeded, attempt.RedactionId));
    }

    [Fact]
    public async Task A_store_failure_is_retried_and_fails_the_redaction_on_the_last_attempt()
    {
        var (recordingId, _) = await MovingPatchAsync(seconds: 2);
        await using var broken = new MediaHarness(Catalogue, new FailingReads(Store, failAfter: 20_000), Options);
        var failing = new RedactionHarness(Catalogue, broken);

        var redaction = await failing.RenderAsync(recordingId, Blur, expectedJobState: "queued");

        Assert.Equal(RedactionState.Rendering, redaction.State);
        await Harness.ExecuteAsync(
            "UPDATE jobs SET attempts = max_attempts - 1, run_after = now() WHERE kind = 'redaction' AND payload->>'redactionId' = @id", new { id = redaction.Id.ToString() });
        var (state, lastError) = await failing.RunAsync(failing.RedactionHandler, "redactionId", redaction.Id);

        Assert.Equal("failed", state);
        Assert.Contains(nameof(Enforcement.Media.Ingest.Media.Sources.MediaSourceException), lastError, StringComparison.Ordinal);
        redaction = (await Redactions.Redactions.FindAsync(redaction.Id, Token))!;
        Assert.Equal(RedactionState.Failed, redaction.State);
        Assert.StartsWith($"Rendering failed {Enforcement.Media.Storage.Redactions.RedactionStore.RenderAttempts} times; the last time: Reading", redaction.Failure, StringComparison.Ordinal);
        Assert.Empty(await Harness.Derivations.ListForRedactionAsync(redaction.Id, Token));
    }
}
