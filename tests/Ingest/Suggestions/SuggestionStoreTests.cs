using Dapper;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

/// <summary>Suggestion runs and decisions in the real catalogue: one live run per recording, results stored once, decisions kept.</summary>
public sealed class SuggestionStoreTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>, IDisposable
{
    private readonly TempFolder _storeFolder = new();
    private readonly SuggestionStore _store = new(catalogue.DataSource, TimeProvider.System);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _storeFolder.Dispose();

    private async Task<(Guid Recording, Guid User)> RecordingAndUserAsync()
    {
        var store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = _storeFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        var recording = await new ArchiveHarness(catalogue, store).NewRecordingAsync("123456", TimeProvider.System.GetUtcNow(), cancellationToken: Token);
        return (recording.RecordingId, await SuggestionUsers.CreateAsync(catalogue, Token));
    }

    private async Task<IReadOnlyList<(long Id, string State, string RunId)>> SuggestionJobsAsync(Guid recordingId)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return [.. await connection.QueryAsync<(long, string, string)>(
            "SELECT id, state, payload ->> 'runId' FROM jobs WHERE kind = @kind AND recording_id = @recordingId ORDER BY id",
            new { kind = JobKinds.Suggestions, recordingId })];
    }

    private async Task<Guid> ReadyRunWithOneSuggestionAsync(Guid recording, Guid user)
    {
        var run = (await _store.RequestAsync(recording, user, 1, Token)).Run;
        Assert.NotNull(await _store.StartAsync(run.Id, "test detector", Token));
        Assert.True(await _store.CompleteAsync(run.Id, 5, [new SuggestionFinding(SuggestionKind.Face, [new RegionKeyframe(0, 0.1, 0.1, 0.2, 0.2)], 3)], Token));
        return run.Id;
    }

    [Fact]
    public async Task A_request_queues_a_run_and_its_job_together()
    {
        var (recording, user) = await RecordingAndUserAsync();

        var request = await _store.RequestAsync(recording, user, 0.5, Token);

        Assert.True(request.Created);
        Assert.Equal((SuggestionState.Queued, recording, user, 0.5), (request.Run.State, request.Run.RecordingId, request.Run.RequestedBy, request.Run.SampleSeconds));
        var job = Assert.Single(await SuggestionJobsAsync(recording));
        Assert.Equal(("queued", request.Run.Id.ToString()), (job.State, job.RunId));
    }

    [Fact]
    public async Task A_second_request_while_a_run_is_live_gets_that_run_and_no_second_job()
    {
        var (recording, user) = await RecordingAndUserAsync();
        var other = await SuggestionUsers.CreateAsync(catalogue, Token);
        var first = await _store.RequestAsync(recording, user, 1, Token);

        var second = await _store.RequestAsync(recording, other, 1, Token);
        await _store.StartAsync(first.Run.Id, "test detector", Token);
        var third = await _store.RequestAsync(recording, other, 1, Token);

        Assert.False(second.Created);
        Assert.Equal(first.Run.Id, second.Run.Id);
        Assert.Equal((first.Run.Id, SuggestionState.Running), (third.Run.Id, third.Run.State));
        Assert.Single(await SuggestionJobsAsync(recording));
    }

    [Fact]
    public async Task Requests_at_the_same_moment_share_one_run()
    {
        var (recording, user) = await RecordingAndUserAsync();

        var requests = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _store.RequestAsync(recording, user, 1, Token)));

        Assert.Single(requests, r => r.Created);
        Assert.Single(requests.Select(r => r.Run.Id).Distinct());
        Assert.Single(await SuggestionJobsAsync(recording));
    }

    [Fact]
    public async Task Once_a_run_is_finished_a_request_makes_a_new_one()
    {
        var (recording, user) = await RecordingAndUserAsync();
        var ready = await ReadyRunWithOneSuggestionAsync(recording, user);
        await using (var connection = await catalogue.DataSource.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync("UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE kind = @kind", new { kind = JobKinds.Suggestions });
        }

        var again = await _store.RequestAsync(recording, user, 1, Token);

        Assert.True(again.Created);
        Assert.NotEqual(ready, again.Run.Id);
        Assert.Equal(again.Run.Id, (await _store.LatestAsync(recording, Token))!.Id);
    }

    [Fact]
    public async Task A_live_run_whose_job_gave_up_is_failed_rather_than_returned_for_ever()
    {
        var (recording, user) = await RecordingAndUserAsync();
        var stuck = (await _store.RequestAsync(recording, user, 1, Token)).Run;
        await _store.StartAsync(stuck.Id, "test detector", Token);
        await using (var connection = await catalogue.DataSource.OpenConnectionAsync(Token))
        {
            // What recovery does to the job of a worker that died on its last attempt.
            await connection.ExecuteAsync("UPDATE jobs SET state = 'failed', finished_at = now() WHERE kind = @kind AND recording_id = @recording", new { kind = JobKinds.Suggestions, recording });
        }

        var fresh = await _store.RequestAsync(recording, user, 1, Token);

        Assert.True(fresh.Created);
        var failed = (await _store.FindAsync(stuck.Id, Token))!;
        Assert.Equal(SuggestionState.Failed, failed.State);
        Assert.Contains("stopped before the run finished", failed.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_is_completed_with_its_suggestions_once()
    {
        var (recording, user) = await RecordingAndUserAsync();
        var runId = await ReadyRunWithOneSuggestionAsync(recording, user);

        var again = await _store.CompleteAsync(runId, 9, [new SuggestionFinding(SuggestionKind.Face, [new RegionKeyframe(0, 0.5, 0.5, 0.1, 0.1)], 1)], Token);
        var failedAfterwards = await _store.FailAsync(runId, "too late", Token);

        Assert.False(again);
        Assert.False(failedAfterwards);
        var run = (await _store.FindAsync(runId, Token))!;
        Assert.Equal((SuggestionState.Ready, 5, "test detector"), (run.State, run.FramesExamined, run.Detector));
        Assert.NotNull(run.FinishedAt);
        var suggestion = Assert.Single(run.Suggestions);
        Assert.Equal((SuggestionKind.Face, 3.0), (suggestion.Kind, suggestion.Score));
        Assert.Equal([new RegionKeyframe(0, 0.1, 0.1, 0.2, 0.2)], suggestion.Keyframes);
    }

    [Fact]
    public async Task A_decision_is_recorded_once_and_a_contrary_one_is_refused()
    {
        var (recording, user) = await RecordingAndUserAsync();
        var other = await SuggestionUsers.CreateAsync(catalogue, Token);
        var runId = await ReadyRunWithOneSuggestionAsync(recording, user);
        var suggestion = Assert.Single((await _store.FindAsync(runId, Token))!.Suggestions).Id;

        var accepted = await _store.DecideAsync(suggestion, user, SuggestionDecision.Accepted, Token);
        var acceptedAgain = await _store.DecideAsync(suggestion, other, SuggestionDecision.Accepted, Token);
        var rejected = await _store.DecideAsync(suggestion, other, SuggestionDecision.Rejected, Token);

        Assert.Equal(
            (SuggestionDecisionOutcome.Recorded, SuggestionDecisionOutcome.AlreadyRecorded, SuggestionDecisionOutcome.Conflict),
            (accepted, acceptedAgain, rejected));
        var kept = Assert.Single((await _store.FindAsync(runId, Token))!.Suggestions);
        Assert.Equal((SuggestionDecision.Accepted, (Guid?)user), (kept.Decision, kept.DecidedBy));
        Assert.NotNull(kept.DecidedAt);
    }

    [Fact]
    public async Task A_decision_on_no_such_suggestion_or_of_no_such_kind_is_refused()
    {
        var (_, user) = await RecordingAndUserAsync();

        Assert.Equal(SuggestionDecisionOutcome.NotFound, await _store.DecideAsync(Guid.NewGuid(), user, SuggestionDecision.Rejected, Token));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DecideAsync(Guid.NewGuid(), user, "maybe", Token));
    }
}
