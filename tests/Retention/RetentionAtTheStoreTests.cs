using Amazon.S3;
using Amazon.S3.Model;
using Dapper;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Retention;

/// <summary>Retention enforced by a real Object Lock S3 server (Ceph RGW), read back with GetObjectRetention.</summary>
public sealed class RetentionAtTheStoreTests : IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    private readonly CatalogueFixture _catalogue;
    private readonly S3BucketFixture _bucket;
    private readonly ArchiveHarness _archive;
    private readonly CasesHarness _cases;

    public RetentionAtTheStoreTests(CatalogueFixture catalogue, S3BucketFixture bucket)
    {
        _catalogue = catalogue;
        _bucket = bucket;
        _archive = new ArchiveHarness(catalogue, bucket.Store);
        _cases = new CasesHarness(catalogue, bucket.Store);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private async Task<(ArchivedRecording Recording, string CaseNumber)> LinkedRecordingAsync(string status, DateTimeOffset? closedAt = null, DateTimeOffset? archivedAt = null, string? caseNumber = null)
    {
        var recording = await _archive.NewRecordingAsync("123456", Now.AddHours(-1), cancellationToken: Token);
        caseNumber ??= await NewCaseAsync(status, closedAt, archivedAt);
        await _cases.Linker.LinkManuallyAsync(recording.RecordingId, caseNumber, "investigation", "user:reviewer", "footage of the seizure", Token);
        return (recording, caseNumber);
    }

    private async Task<string> NewCaseAsync(string status, DateTimeOffset? closedAt = null, DateTimeOffset? archivedAt = null, string? caseNumber = null)
    {
        caseNumber ??= $"RET-{Guid.NewGuid():N}"[..24];
        var submitted = await _cases.Cases.SubmitAsync(new CaseInput(caseNumber, "330100", "当事人", "强制", status, Now.AddDays(-10), closedAt, archivedAt, [], []), "system:case-system", Token);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        return caseNumber;
    }

    private Task<ObjectRetention> StoreRetentionAsync(ArchivedRecording recording) => _bucket.Store.GetRetentionAsync(recording.Location, Token);

    [Fact]
    public async Task Linking_footage_to_an_archived_case_extends_the_lock_at_the_store()
    {
        var archivedAt = Now.AddDays(-1);
        var (recording, _) = await LinkedRecordingAsync(CaseStatus.Archived, Now.AddDays(-2), archivedAt);
        var before = await StoreRetentionAsync(recording);

        var outcome = await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);

        var after = await StoreRetentionAsync(recording);
        Assert.True(before.RetainUntil < Now.AddDays(200));
        Assert.True(after.RetainUntil >= archivedAt.AddYears(30).AddSeconds(-1), $"store locks until {after.RetainUntil:O}");
        Assert.Equal("COMPLIANCE", after.Mode);
        Assert.Equal(RetentionClass.Evidence, outcome!.Plan.Class);
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal("evidence", await connection.ExecuteScalarAsync<string>("SELECT retention_class FROM recordings WHERE id = @RecordingId", new { recording.RecordingId }));
    }

    [Fact]
    public async Task An_open_case_holds_footage_and_closing_lifts_the_hold_only_when_no_other_case_holds_it()
    {
        var (recording, first) = await LinkedRecordingAsync(CaseStatus.Open);
        var second = await NewCaseAsync(CaseStatus.Open);
        await _cases.Linker.LinkManuallyAsync(recording.RecordingId, second, null, "user:reviewer", "the same seizure, second case", Token);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);
        Assert.True((await StoreRetentionAsync(recording)).LegalHold);

        var closedAt = Now;
        await NewCaseAsync(CaseStatus.Closed, closedAt, caseNumber: first);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);
        Assert.True((await StoreRetentionAsync(recording)).LegalHold, "the second case is still open");

        await NewCaseAsync(CaseStatus.Closed, closedAt, caseNumber: second);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);
        var released = await StoreRetentionAsync(recording);
        Assert.False(released.LegalHold);
        Assert.True(released.RetainUntil >= closedAt.AddYears(30).AddSeconds(-1), $"store locks until {released.RetainUntil:O}");
    }

    [Fact]
    public async Task A_case_reopened_after_archiving_is_held_again_and_its_period_is_never_shortened()
    {
        var caseNumber = await NewCaseAsync(CaseStatus.Archived, Now.AddDays(-2), Now.AddDays(-1));
        var (recording, _) = await LinkedRecordingAsync(CaseStatus.Archived, caseNumber: caseNumber);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);
        var archived = await StoreRetentionAsync(recording);

        await _cases.Cases.SubmitAsync(new CaseInput(caseNumber, "330100", "当事人", "强制", CaseStatus.Open, Now.AddDays(-10), null, null, [], []), "system:case-system", Token);
        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);

        var reopened = await StoreRetentionAsync(recording);
        Assert.True(reopened.LegalHold);
        Assert.Equal(archived.RetainUntil, reopened.RetainUntil);
    }

    [Fact]
    public async Task Early_disposition_is_refused_and_audited_even_when_the_catalogue_says_the_period_ended()
    {
        var recording = await _archive.NewRecordingAsync("123456", Now.AddHours(-1), cancellationToken: Token);
        await Assert.ThrowsAsync<ObjectLockedException>(() => _bucket.Store.DeleteAsync(recording.Location, Token));

        // Drift the catalogue into believing the period is over: only the store stands in the way.
        await using (var connection = await _catalogue.DataSource.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync("UPDATE recordings SET retain_until = now() - interval '1 day' WHERE id = @RecordingId", new { recording.RecordingId });
            await connection.ExecuteAsync("UPDATE stored_objects SET retain_until = now() - interval '1 day' WHERE recording_id = @RecordingId", new { recording.RecordingId });
        }

        var proposed = await _cases.Disposition.ProposeAsync(recording.RecordingId, "user:records-manager", "period over", Token);
        Assert.Equal("proposed", proposed.Outcome);
        var result = (await _cases.Disposition.ApproveAsync(proposed.EntryId!.Value, "user:second-records-manager", "period over, agreed", Token))!;

        Assert.Equal("refused", result.Outcome);
        Assert.Contains("the store still locks", result.Detail, StringComparison.Ordinal);
        Assert.NotNull(await _bucket.Store.HeadAsync(recording.Location, Token));
        await using var check = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'disposition.refused' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM recordings WHERE id = @RecordingId AND disposed_at IS NOT NULL", new { recording.RecordingId }));
    }

    [Fact]
    public async Task Shortening_retention_is_refused_and_audited_and_extending_reaches_the_store()
    {
        var recording = await _archive.NewRecordingAsync("123456", Now.AddHours(-1), cancellationToken: Token);

        await Assert.ThrowsAsync<RetentionShorteningException>(() => _cases.Enforcer.RequestRetainUntilAsync(recording.RecordingId, Now.AddDays(30), "user:records-manager", "save space", Token));
        await _cases.Enforcer.RequestRetainUntilAsync(recording.RecordingId, Now.AddYears(5), "user:records-manager", "complaint pending", Token);

        Assert.True((await StoreRetentionAsync(recording)).RetainUntil >= Now.AddYears(5).AddMinutes(-1));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'retention.shorten-refused' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
    }

    [Fact]
    public async Task Reconcile_finds_and_repairs_drifts_injected_at_the_store_and_in_the_catalogue()
    {
        var (held, _) = await LinkedRecordingAsync(CaseStatus.Open);
        await _cases.Enforcer.ApplyAsync(held.RecordingId, "system:retention", Token);
        var extended = await _archive.NewRecordingAsync("654321", Now.AddHours(-1), cancellationToken: Token);

        // Someone lifts the legal hold directly at the store, and the catalogue promises a longer lock than the store has.
        await _bucket.Raw.PutObjectLegalHoldAsync(
            new PutObjectLegalHoldRequest { BucketName = _bucket.Options.Bucket, Key = held.Location.Key, VersionId = held.Location.VersionId, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.Off } }, Token);
        await using (var connection = await _catalogue.DataSource.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync("UPDATE stored_objects SET retain_until = retain_until + interval '10 years' WHERE recording_id = @RecordingId", new { extended.RecordingId });
        }

        var report = await _cases.Reconciler.ReconcileAsync("user:operator", Token);

        Assert.Contains(report.Drifts, d => d.RecordingId == held.RecordingId && d.Kind == "hold" && d.Repaired);
        Assert.Contains(report.Drifts, d => d.RecordingId == extended.RecordingId && d.Kind == "shorter" && d.Repaired);
        Assert.True((await StoreRetentionAsync(held)).LegalHold);
        Assert.True((await StoreRetentionAsync(extended)).RetainUntil >= Now.AddYears(10));
        var again = await _cases.Reconciler.ReconcileAsync("user:operator", Token);
        Assert.Empty(again.Drifts);
    }

    [Fact]
    public async Task A_derivative_is_locked_as_long_as_its_original_when_the_policy_grows()
    {
        var (recording, _) = await LinkedRecordingAsync(CaseStatus.Archived, Now.AddDays(-2), Now.AddDays(-1));
        var pending = await _bucket.Store.WriteAsync(ObjectWrite.New(ObjectKind.Rendition, "video/mp4"), new MemoryStream(Bytes.Random(1000, 7)), null, Token);
        var rendition = await _bucket.Store.SealAsync(pending, new ObjectLock(Now.AddDays(180)), Token);
        await using (var connection = await _catalogue.DataSource.OpenConnectionAsync(Token))
        {
            await using var transaction = await connection.BeginTransactionAsync(Token);
            await RecordingStore.InsertObjectAsync(connection, transaction, _bucket.Store.Name, rendition, ObjectKind.Rendition, "video/mp4", recording.RecordingId, Now, Token);
            await transaction.CommitAsync(Token);
        }

        await _cases.Enforcer.ApplyAsync(recording.RecordingId, "system:retention", Token);

        var original = await StoreRetentionAsync(recording);
        var derivative = await _bucket.Store.GetRetentionAsync(rendition.Location, Token);
        Assert.True(derivative.RetainUntil >= original.RetainUntil, $"rendition until {derivative.RetainUntil:O}, original until {original.RetainUntil:O}");
        Assert.True(derivative.RetainUntil >= Now.AddYears(29));
    }
}
