using Dapper;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Enforcement.Media.Tests.Retention;

/// <summary>Disposition after the period, on the filesystem store with a clock the test moves.</summary>
public sealed class DispositionTests : IClassFixture<CatalogueFixture>, IDisposable
{
    private readonly CatalogueFixture _catalogue;
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly FileSystemEvidenceStore _store;
    private readonly ArchiveHarness _archive;
    private readonly CasesHarness _cases;

    public DispositionTests(CatalogueFixture catalogue)
    {
        _catalogue = catalogue;
        _store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _folder.Path }), _time, NullLogger<FileSystemEvidenceStore>.Instance);
        _archive = new ArchiveHarness(catalogue, _store, _time);
        _cases = new CasesHarness(catalogue, _store, _time);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task After_its_period_a_recording_is_queued_proposed_disposed_on_a_second_managers_approval_and_kept_as_a_tombstone()
    {
        var recording = await _archive.NewRecordingAsync("123456", _time.GetUtcNow(), cancellationToken: Token);
        Assert.DoesNotContain(await PendingAsync(), c => c == recording.RecordingId);

        _time.Advance(TimeSpan.FromDays(181));
        await _cases.Disposition.RefreshQueueAsync(Token);
        Assert.Contains(await PendingAsync(), c => c == recording.RecordingId);

        var proposed = await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:records-manager", "routine footage past 180 days", Token);
        Assert.Equal("proposed", proposed.Outcome);
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token)); // a proposal deletes nothing
        var result = await _cases.Disposition.ApproveAsync(proposed.EntryId!.Value, "user:second-manager", "agreed: routine footage past 180 days", Token);

        Assert.Equal("disposed", result!.Outcome);
        Assert.Null(await _store.HeadAsync(recording.Location, Token));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        var tombstone = await connection.QuerySingleAsync<(string Sha256, string DisposedBy, string Reason)>(
            "SELECT sha256, disposed_by, disposal_reason FROM recordings WHERE id = @RecordingId AND disposed_at IS NOT NULL", new { recording.RecordingId });
        Assert.Equal((recording.Sha256.Hex, "user:second-manager", "agreed: routine footage past 180 days"), tombstone);
        var entry = await connection.QuerySingleAsync<(string ProposedBy, string ProposalReason, string DecidedBy, string Decision, string Rule)>(
            "SELECT proposed_by, proposal_reason, decided_by, decision, retention_rule FROM disposition_queue WHERE recording_id = @RecordingId AND state = 'disposed'", new { recording.RecordingId });
        Assert.Equal(("user:records-manager", "routine footage past 180 days", "user:second-manager", "approved"), (entry.ProposedBy, entry.ProposalReason, entry.DecidedBy, entry.Decision));
        Assert.StartsWith("routine: 180 days from recording or receipt", entry.Rule, StringComparison.Ordinal);
        Assert.Contains("no longer has it", await connection.ExecuteScalarAsync<string>(
            "SELECT deletion_confirmation FROM stored_objects WHERE recording_id = @RecordingId", new { recording.RecordingId }), StringComparison.Ordinal);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'recording.disposed' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
        Assert.Equal(
            ["disposition.proposed", "disposition.approved", "recording.disposed"],
            await connection.QueryAsync<string>(
                "SELECT action FROM audit_outbox WHERE (action LIKE 'disposition.%' OR action = 'recording.disposed') AND subject_id = @Id ORDER BY id", new { Id = recording.RecordingId.ToString() }));
    }

    [Fact]
    public async Task Footage_in_an_open_case_never_enters_the_queue_and_cannot_be_disposed()
    {
        var recording = await _archive.NewRecordingAsync("123456", _time.GetUtcNow(), cancellationToken: Token);
        var caseNumber = $"DSP-{Guid.NewGuid():N}"[..20];
        await _cases.Cases.SubmitAsync(new CaseInput(caseNumber, null, null, null, CaseStatus.Open, _time.GetUtcNow(), null, null, [], []), "system:case-system", Token);
        await _cases.Linker.LinkManuallyAsync(recording.RecordingId, caseNumber, null, "user:reviewer", "evidence", Token);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);

        _time.Advance(TimeSpan.FromDays(400));
        await _cases.Disposition.RefreshQueueAsync(Token);
        var result = await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:records-manager", "old", Token);

        Assert.DoesNotContain(await PendingAsync(), c => c == recording.RecordingId);
        Assert.Equal("refused", result.Outcome);
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token));
    }

    [Fact]
    public async Task A_disposition_without_a_reason_is_refused()
    {
        var recording = await _archive.NewRecordingAsync("123456", _time.GetUtcNow(), cancellationToken: Token);
        _time.Advance(TimeSpan.FromDays(181));

        var result = await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:records-manager", "  ", Token);

        Assert.Equal("refused", result.Outcome);
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token));
    }

    [Fact]
    public async Task A_records_managers_legal_hold_keeps_footage_out_of_the_queue_until_released()
    {
        var recording = await _archive.NewRecordingAsync("123456", _time.GetUtcNow(), cancellationToken: Token);
        var hold = await _cases.Holds.PlaceAsync(recording.RecordingId, "user:records-manager", "complaint filed", Token);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);
        _time.Advance(TimeSpan.FromDays(181));

        await _cases.Disposition.RefreshQueueAsync(Token);
        Assert.DoesNotContain(await PendingAsync(), c => c == recording.RecordingId);
        Assert.True((await _store.GetRetentionAsync(recording.Location, Token)).LegalHold);

        await _cases.Holds.ReleaseAsync(hold, "user:records-manager", "complaint withdrawn", Token);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);
        await _cases.Disposition.RefreshQueueAsync(Token);
        Assert.Contains(await PendingAsync(), c => c == recording.RecordingId);
    }

    [Fact]
    public async Task The_records_manager_who_proposed_a_disposition_cannot_approve_it_and_the_catalogue_refuses_it_too()
    {
        var recording = await DueRecordingAsync();
        var entryId = (await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:alice", "past its period", Token)).EntryId!.Value;

        var refused = await Assert.ThrowsAsync<DispositionDecisionException>(() => _cases.Disposition.ApproveAsync(entryId, "user:alice", "I agree with myself", Token));

        Assert.Equal(DispositionDecisionProblem.ProposerMayNotApprove, refused.Problem);
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'disposition.approval-refused' AND actor = 'user:alice' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));

        // The application role cannot write it either: not the proposer's approval, nor a disposal on one person's word.
        var sameManager = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "UPDATE disposition_queue SET state = 'disposed', decision = 'approved', decided_by = proposed_by, decided_at = now(), decision_reason = 'self' WHERE id = @entryId", new { entryId }));
        Assert.Equal((PostgresErrorCodes.CheckViolation, "disposition_queue_second_person"), (sameManager.SqlState, sameManager.ConstraintName));
        var onePerson = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            """
            INSERT INTO disposition_queue (id, recording_id, state, eligible_since, queued_at, decided_by, decided_at, decision_reason)
            VALUES (gen_random_uuid(), @RecordingId, 'disposed', now(), now(), 'user:alice', now(), 'alone')
            """,
            new { recording.RecordingId }));
        Assert.Equal(PostgresErrorCodes.CheckViolation, onePerson.SqlState);
        Assert.Equal("proposed", await connection.ExecuteScalarAsync<string>("SELECT state FROM disposition_queue WHERE id = @entryId", new { entryId }));

        // A second records manager's approval disposes of it; the decided entry is never changed or deleted after.
        Assert.Equal("disposed", (await _cases.Disposition.ApproveAsync(entryId, "user:bob", "agreed", Token))!.Outcome);
        var rewrite = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("UPDATE disposition_queue SET decided_by = 'user:carol' WHERE id = @entryId", new { entryId }));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DELETE FROM disposition_queue WHERE id = @entryId", new { entryId }));
        Assert.Equal((PostgresErrorCodes.IntegrityConstraintViolation, PostgresErrorCodes.IntegrityConstraintViolation), (rewrite.SqlState, delete.SqlState));
    }

    [Fact]
    public async Task A_refused_proposal_disposes_nothing_and_the_recording_may_be_proposed_again()
    {
        var recording = await DueRecordingAsync();
        var entryId = (await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:alice", "past its period", Token)).EntryId!.Value;

        var refused = await _cases.Disposition.RefuseProposalAsync(entryId, "user:bob", "a complaint about this stop is expected", Token);

        Assert.Equal("refused", refused!.Outcome);
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM recordings WHERE id = @RecordingId AND disposed_at IS NOT NULL", new { recording.RecordingId }));
        Assert.Null(await connection.ExecuteScalarAsync<DateTime?>("SELECT deleted_at FROM stored_objects WHERE recording_id = @RecordingId", new { recording.RecordingId }));
        Assert.Equal(
            ("refused", "refused", "user:bob", "a complaint about this stop is expected"),
            await connection.QuerySingleAsync<(string, string, string, string)>("SELECT state, decision, decided_by, decision_reason FROM disposition_queue WHERE id = @entryId", new { entryId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'disposition.proposal-refused' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
        var late = await Assert.ThrowsAsync<DispositionDecisionException>(() => _cases.Disposition.ApproveAsync(entryId, "user:carol", "too late", Token));
        Assert.Equal(DispositionDecisionProblem.NotAwaitingDecision, late.Problem);
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token));

        // Still past its period: the scan queues it again, for a new proposal — which its proposer may take back.
        await _cases.Disposition.RefreshQueueAsync(Token);
        Assert.Contains(await PendingAsync(), c => c == recording.RecordingId);
        var again = await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:bob", "the complaint period is over", Token);
        var second = await Assert.ThrowsAsync<DispositionDecisionException>(() => _cases.Disposition.ProposeAsync(recording.RecordingId, "user:carol", "me too", Token));
        Assert.Equal(DispositionDecisionProblem.AlreadyProposed, second.Problem);
        Assert.Contains("user:bob", second.Message, StringComparison.Ordinal);
        Assert.Equal("refused", (await _cases.Disposition.RefuseProposalAsync(again.EntryId!.Value, "user:bob", "taken back: wrong recording", Token))!.Outcome);
    }

    [Fact]
    public async Task An_open_proposal_is_withdrawn_when_its_recording_is_no_longer_eligible()
    {
        var recording = await DueRecordingAsync();
        var entryId = (await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:alice", "past its period", Token)).EntryId!.Value;

        await _cases.Holds.PlaceAsync(recording.RecordingId, "user:records-manager", "litigation announced", Token);
        await _cases.Disposition.RefreshQueueAsync(Token);

        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal("withdrawn", await connection.ExecuteScalarAsync<string>("SELECT state FROM disposition_queue WHERE id = @entryId", new { entryId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'disposition.withdrawn' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
        Assert.DoesNotContain(await PendingAsync(), c => c == recording.RecordingId);
        await Assert.ThrowsAsync<DispositionDecisionException>(() => _cases.Disposition.ApproveAsync(entryId, "user:bob", "agreed", Token));
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token));
    }

    /// <summary>A recording whose 180 days have passed on the test's clock: eligible for disposition.</summary>
    private async Task<ArchivedRecording> DueRecordingAsync()
    {
        var recording = await _archive.NewRecordingAsync("123456", _time.GetUtcNow(), cancellationToken: Token);
        _time.Advance(TimeSpan.FromDays(181));
        return recording;
    }

    private async Task<List<Guid>> PendingAsync() => [.. (await _cases.Disposition.PendingAsync(Token)).Select(c => c.RecordingId)];
}
