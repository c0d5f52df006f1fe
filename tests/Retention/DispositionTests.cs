using Dapper;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

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
    public async Task After_its_period_a_recording_is_queued_disposed_on_approval_and_kept_as_a_tombstone()
    {
        var recording = await _archive.NewRecordingAsync("123456", _time.GetUtcNow(), cancellationToken: Token);
        Assert.DoesNotContain(await PendingAsync(), c => c == recording.RecordingId);

        _time.Advance(TimeSpan.FromDays(181));
        await _cases.Disposition.RefreshQueueAsync(Token);
        Assert.Contains(await PendingAsync(), c => c == recording.RecordingId);

        var result = await _cases.Disposition.DisposeAsync(recording.RecordingId, "user:records-manager", "routine footage past 180 days", Token);

        Assert.Equal("disposed", result.Outcome);
        Assert.Null(await _store.HeadAsync(recording.Location, Token));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        var tombstone = await connection.QuerySingleAsync<(string Sha256, string DisposedBy, string Reason)>(
            "SELECT sha256, disposed_by, disposal_reason FROM recordings WHERE id = @RecordingId AND disposed_at IS NOT NULL", new { recording.RecordingId });
        Assert.Equal((recording.Sha256.Hex, "user:records-manager", "routine footage past 180 days"), tombstone);
        Assert.Contains("no longer has it", await connection.ExecuteScalarAsync<string>(
            "SELECT deletion_confirmation FROM stored_objects WHERE recording_id = @RecordingId", new { recording.RecordingId }), StringComparison.Ordinal);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'recording.disposed' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
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
        var result = await _cases.Disposition.DisposeAsync(recording.RecordingId, "user:records-manager", "old", Token);

        Assert.DoesNotContain(await PendingAsync(), c => c == recording.RecordingId);
        Assert.Equal("refused", result.Outcome);
        Assert.NotNull(await _store.HeadAsync(recording.Location, Token));
    }

    [Fact]
    public async Task A_disposition_without_a_reason_is_refused()
    {
        var recording = await _archive.NewRecordingAsync("123456", _time.GetUtcNow(), cancellationToken: Token);
        _time.Advance(TimeSpan.FromDays(181));

        var result = await _cases.Disposition.DisposeAsync(recording.RecordingId, "user:records-manager", "  ", Token);

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

    private async Task<List<Guid>> PendingAsync() => [.. (await _cases.Disposition.PendingAsync(Token)).Select(c => c.RecordingId)];
}
