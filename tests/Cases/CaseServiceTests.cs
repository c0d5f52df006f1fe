using Dapper;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Cases;

public sealed class CaseServiceTests : IClassFixture<CatalogueFixture>, IDisposable
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));
    private readonly CatalogueFixture _catalogue;
    private readonly TempFolder _folder = new();
    private readonly CasesHarness _harness;

    public CaseServiceTests(CatalogueFixture catalogue)
    {
        _catalogue = catalogue;
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _folder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        _harness = new CasesHarness(catalogue, store);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private static CaseInput NewCase() => CaseValidatorTests.Case(CaseValidatorTests.Activity("A1", Nine, Nine.AddHours(1), "123456")) with { CaseNumber = $"CASE-{Guid.NewGuid():N}" };

    private async Task<long> CountAsync(string sql, object parameters)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Fact]
    public async Task Submitting_the_same_case_twice_creates_it_once_and_changes_nothing_the_second_time()
    {
        var input = NewCase();

        var first = await _harness.Cases.SubmitAsync(input, "system:case-system", Token);
        var second = await _harness.Cases.SubmitAsync(input, "system:case-system", Token);

        Assert.Equal(CaseSubmissionOutcome.Created, first.Outcome);
        Assert.Equal(CaseSubmissionOutcome.Unchanged, second.Outcome);
        Assert.Equal(first.CaseId, second.CaseId);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM cases WHERE case_number = @CaseNumber", new { input.CaseNumber }));
        Assert.Equal(8, await CountAsync("SELECT count(*) FROM case_stages WHERE case_id = @CaseId", new { first.CaseId }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM case_activities WHERE case_id = @CaseId", new { first.CaseId }));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM audit_outbox WHERE subject_id = @Id", new { Id = first.CaseId.ToString() }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM jobs WHERE kind = 'link-activity' AND payload->>'activityId' IN (SELECT id::text FROM case_activities WHERE case_id = @CaseId)", new { first.CaseId }));
    }

    [Fact]
    public async Task The_same_case_number_with_different_data_updates_the_case_and_audits_each_change()
    {
        var input = NewCase();
        var created = await _harness.Cases.SubmitAsync(input, "system:case-system", Token);

        var updated = await _harness.Cases.SubmitAsync(input with { Subject = "另一个当事人", Status = CaseStatus.Closed, ClosedAt = Nine.AddDays(1) }, "system:case-system", Token);

        Assert.Equal(CaseSubmissionOutcome.Updated, updated.Outcome);
        Assert.Equal(created.CaseId, updated.CaseId);
        var details = await QueryAsync<string>("SELECT details FROM audit_outbox WHERE action = 'case.updated' AND subject_id = @Id", new { Id = created.CaseId.ToString() });
        var change = Assert.Single(details);
        Assert.Contains("\"subject\"", change, StringComparison.Ordinal);
        Assert.Contains("\"status\":[\"open\",\"closed\"]", change, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_case_writes_nothing_and_names_the_field()
    {
        var input = NewCase() with { Activities = [CaseValidatorTests.Activity("A1", Nine, Nine.AddMinutes(-1), "123456")] };

        var result = await _harness.Cases.SubmitAsync(input, "system:case-system", Token);

        Assert.Equal(CaseSubmissionOutcome.Rejected, result.Outcome);
        Assert.Contains(result.Problems, p => p.Field == "activities[0].endsAt");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM cases WHERE case_number = @CaseNumber", new { input.CaseNumber }));
    }

    [Fact]
    public async Task A_case_reopened_after_archiving_is_open_again_with_the_reopening_recorded()
    {
        var input = NewCase() with { Status = CaseStatus.Archived, ClosedAt = Nine.AddDays(1), ArchivedAt = Nine.AddDays(2) };
        var created = await _harness.Cases.SubmitAsync(input, "system:case-system", Token);

        var reopened = await _harness.Cases.SubmitAsync(input with { Status = CaseStatus.Open, ClosedAt = null, ArchivedAt = null }, "system:case-system", Token);

        Assert.Equal(CaseSubmissionOutcome.Updated, reopened.Outcome);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM cases WHERE id = @CaseId AND status = 'open' AND reopened_at IS NOT NULL", new { created.CaseId }));
    }

    [Fact]
    public async Task A_moved_activity_is_updated_in_place_and_queued_for_relinking()
    {
        var input = NewCase();
        var created = await _harness.Cases.SubmitAsync(input, "system:case-system", Token);

        await _harness.Cases.SubmitAsync(input with { Activities = [input.Activities[0] with { EndsAt = Nine.AddHours(3) }] }, "system:case-system", Token);

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM case_activities WHERE case_id = @CaseId", new { created.CaseId }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_outbox WHERE action = 'case.activity-updated' AND subject_id = @Id", new { Id = created.CaseId.ToString() }));
    }

    [Fact]
    public async Task A_csv_import_imports_the_good_rows_and_reports_the_bad_ones_by_line()
    {
        var a = $"CSV-{Guid.NewGuid():N}"[..20];
        var b = $"CSV-{Guid.NewGuid():N}"[..20];
        var csv = $"""
            case_number,unit_code,subject,enforcement_type,status,opened_at,closed_at,archived_at,flags,activity_id,stage,activity_type,starts_at,ends_at,place,officers
            {a},330100,"店, 某某",处罚,open,2026-11-18T09:00:00+08:00,,,,A1,investigation,seizure,2026-11-20T09:00:00+08:00,2026-11-20T10:00:00+08:00,某路,123456;654321
            {a},330100,"店, 某某",处罚,open,2026-11-18T09:00:00+08:00,,,,A2,service,service,2026-11-21T09:00:00+08:00,2026-11-21T08:00:00+08:00,某路,123456
            {a},330199,"店, 某某",处罚,open,2026-11-18T09:00:00+08:00,,,,A3,decision,decision,2026-11-22T09:00:00+08:00,2026-11-22T10:00:00+08:00,某路,123456
            {b},330100,某公司,强制,open,2026-11-19 09:00:00,,,,,,,,,,
            """;

        var report = await _harness.CsvImport.ImportAsync(new StringReader(csv.Replace("\r\n", "\n", StringComparison.Ordinal)), "user:importer", Token);

        Assert.Equal(1, report.CasesCreated);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM case_activities a JOIN cases c ON c.id = a.case_id WHERE c.case_number = @a AND a.external_id = 'A1'", new { a }));
        Assert.Contains(report.Problems, p => p.Line == 3 && p.Field == "activities[1].endsAt");
        Assert.Contains(report.Problems, p => p.Line == 4 && p.Field == "unit_code" && p.Message.Contains("different data", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Line == 5 && p.Field == "opened_at");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM cases WHERE case_number = @b", new { b }));
    }

    private async Task<List<T>> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }
}
