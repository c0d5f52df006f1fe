using System.Diagnostics.Metrics;
using Dapper;
using Enforcement.Media.Ingest.Fixity;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Fixity;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Ingest.Fixity;

/// <summary>Fixity checks against the real catalogue and filesystem store: an altered or vanished original is found and reported loudly.</summary>
public sealed class FixityTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_original_altered_on_the_filesystem_store_is_a_mismatch_and_the_command_exits_non_zero()
    {
        await using var scenario = await FixityScenario.StartAsync();
        var stored = await scenario.ArchiveAsync(3, Token);
        var altered = stored[1];
        await scenario.AlterOneByteAsync(altered, Token);

        var (exitCode, output, error) = await IngestCli.RunAsync(["fixity", "--all"], scenario.Environment(), Token);

        Assert.True(exitCode == 1, output + error);
        Assert.Contains("3 checked, 2 verified, 1 mismatched, 0 missing, 0 unreadable", output, StringComparison.Ordinal);
        Assert.Contains($"MISMATCH  recording {altered.RecordingId}", output, StringComparison.Ordinal);
        Assert.Contains("FIXITY MISMATCH", error, StringComparison.Ordinal); // logged at error level
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        var findings = (await connection.QueryAsync<(Guid RecordingId, string Outcome, string? ActualSha256)>(
            "SELECT recording_id, outcome, actual_sha256 FROM fixity_latest")).ToDictionary(f => f.RecordingId);
        Assert.Equal("mismatch", findings[altered.RecordingId].Outcome);
        Assert.NotEqual(altered.Sha256.Hex, findings[altered.RecordingId].ActualSha256);
        Assert.All(stored.Where(s => s != altered), s => Assert.Equal("verified", findings[s.RecordingId].Outcome));
        // The command chained its findings into the audit trail.
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_events WHERE action = 'fixity.mismatch' AND subject_id = @Id", new { Id = altered.RecordingId.ToString() }));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_events WHERE action = 'fixity.verified'"));
    }

    [Fact]
    public async Task An_intact_store_verifies_every_original_and_the_command_exits_zero()
    {
        await using var scenario = await FixityScenario.StartAsync();
        await scenario.ArchiveAsync(2, Token);

        var (exitCode, output, error) = await IngestCli.RunAsync(["fixity"], scenario.Environment(), Token);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("(all): 2 checked, 2 verified, 0 mismatched", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_original_deleted_from_the_store_is_reported_missing_and_logged_at_error_level()
    {
        await using var scenario = await FixityScenario.StartAsync();
        var stored = await scenario.ArchiveAsync(2, Token);
        File.Delete(scenario.PathOf(stored[0]));
        var logger = new RecordingLogger<FixityChecker>();

        var run = await scenario.Checker(logger).RunAsync(FixityScope.All, Token);

        var problem = Assert.Single(run.Problems);
        Assert.Equal((FixityOutcome.Missing, stored[0].RecordingId), (problem.Outcome, problem.Target.RecordingId));
        Assert.Equal(1, run.Verified);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("FIXITY MISSING", StringComparison.Ordinal) && e.Message.Contains(stored[0].RecordingId.ToString(), StringComparison.Ordinal));
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_outbox WHERE action = 'fixity.missing'"));
    }

    [Fact]
    public async Task Findings_are_counted_by_outcome_with_the_bytes_re_read()
    {
        await using var scenario = await FixityScenario.StartAsync();
        var stored = await scenario.ArchiveAsync(3, Token);
        await scenario.AlterOneByteAsync(stored[1], Token);
        File.Delete(scenario.PathOf(stored[2]));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var measured = new ScopedMeasurements(services.GetRequiredService<IMeterFactory>());

        await scenario.Checker(metrics: new FixityMetrics(services.GetRequiredService<IMeterFactory>())).RunAsync(FixityScope.All, Token);

        Assert.Equal(1, measured.Sum("enforcement_media.fixity.checks", ("outcome", "verified")));
        Assert.Equal(1, measured.Sum("enforcement_media.fixity.checks", ("outcome", "mismatch")));
        Assert.Equal(1, measured.Sum("enforcement_media.fixity.checks", ("outcome", "missing")));
        Assert.Equal(stored[0].Size + stored[1].Size, measured.Sum("enforcement_media.fixity.bytes"));
        Assert.All(measured.Tags, tag => Assert.Equal("outcome", tag));
    }

    [Fact]
    public async Task An_original_truncated_on_disk_is_a_mismatch_naming_both_sizes()
    {
        await using var scenario = await FixityScenario.StartAsync();
        var stored = (await scenario.ArchiveAsync(1, Token))[0];
        var path = scenario.PathOf(stored);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserWrite);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(1000);
        }

        var run = await scenario.Checker().RunAsync(FixityScope.All, Token);

        var problem = Assert.Single(run.Problems);
        Assert.Equal((FixityOutcome.Mismatch, 1000L), (problem.Outcome, problem.ActualSize!.Value));
        Assert.Contains($"stored as {stored.Size} bytes", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Originals_in_another_store_are_counted_as_not_checked_never_passed_over_silently()
    {
        await using var scenario = await FixityScenario.StartAsync();
        await scenario.ArchiveAsync(2, Token);
        using var otherRoot = new TempFolder();
        var otherStore = new Enforcement.Media.Storage.Objects.FileSystem.FileSystemEvidenceStore(
            Options.Create(new Enforcement.Media.Storage.Objects.FileSystem.FileSystemStoreOptions { Root = otherRoot.Path }), TimeProvider.System, NullLogger<Enforcement.Media.Storage.Objects.FileSystem.FileSystemEvidenceStore>.Instance);
        var checker = new FixityChecker(
            scenario.Catalogue.DataSource, otherStore, new AuditTrail(scenario.Catalogue.DataSource, TimeProvider.System), Options.Create(scenario.Options), TimeProvider.System, NullLogger<FixityChecker>.Instance);

        var run = await checker.RunAsync(FixityScope.All, Token);

        Assert.Equal((0, 2L), (run.Checked, run.InOtherStores));
    }

    [Fact]
    public async Task Daily_samples_cover_every_original_within_the_coverage_period_a_few_each_day()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var scenario = await FixityScenario.StartAsync(time);
        scenario.Options.CoverageDays = 5;
        scenario.Options.SampleEvery = TimeSpan.FromDays(1);
        var stored = await scenario.ArchiveAsync(20, Token);
        time.Advance(TimeSpan.FromMinutes(1)); // the archive stamped them with the real clock, which has moved on

        var perDay = new List<int>();
        for (var day = 0; day < 5; day++)
        {
            perDay.Add((await scenario.Checker().RunAsync(FixityScope.Sample, Token)).Checked);
            time.Advance(TimeSpan.FromDays(1));
        }

        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        var covered = (await connection.QueryAsync<Guid>("SELECT DISTINCT recording_id FROM fixity_checks")).ToHashSet();
        Assert.Equal(stored.Select(s => s.RecordingId).ToHashSet(), covered);
        Assert.All(perDay, n => Assert.Equal(4, n)); // 20 originals over 5 days: 4 a day, never all at once
    }

    [Fact]
    public async Task After_an_outage_the_next_sample_takes_every_overdue_original()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var scenario = await FixityScenario.StartAsync(time);
        scenario.Options.CoverageDays = 10;
        await scenario.ArchiveAsync(12, Token);

        time.Advance(TimeSpan.FromDays(30));
        var run = await scenario.Checker().RunAsync(FixityScope.Sample, Token);

        Assert.Equal(12, run.Checked);
    }

    [Fact]
    public async Task The_scheduler_queues_one_sample_run_per_period_and_the_job_worker_runs_it()
    {
        await using var scenario = await FixityScenario.StartAsync();
        var stored = await scenario.ArchiveAsync(2, Token);
        await scenario.AlterOneByteAsync(stored[0], Token);
        var fixity = new FixityStore(scenario.Catalogue.DataSource);
        var queue = new JobQueue(scenario.Catalogue.DataSource, NullLogger<JobQueue>.Instance);
        var worker = new JobWorker([], queue, Options.Create(new JobOptions()), NullLogger<JobWorker>.Instance);
        var handler = new FixityJobHandler(scenario.Checker());
        scenario.Options.CoverageDays = 1; // so the sample is every original

        var first = await fixity.EnqueueSampleIfDueAsync(TimeSpan.FromDays(1), Token);
        var again = await fixity.EnqueueSampleIfDueAsync(TimeSpan.FromDays(1), Token);
        var ran = await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [handler.Kind] = handler }, Token);
        var afterRun = await fixity.EnqueueSampleIfDueAsync(TimeSpan.FromDays(1), Token);

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.True(ran);
        Assert.Null(afterRun); // one run per period
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal("succeeded", await connection.ExecuteScalarAsync<string>("SELECT state FROM jobs WHERE id = @first", new { first }));
        Assert.Equal(
            ["mismatch", "verified"],
            (await connection.QueryAsync<string>("SELECT outcome FROM fixity_checks ORDER BY outcome")).ToArray());
    }

    [Fact]
    public async Task Fixity_findings_cannot_be_edited_or_removed_by_the_application_role()
    {
        await using var scenario = await FixityScenario.StartAsync();
        await scenario.ArchiveAsync(1, Token);
        await scenario.Checker().RunAsync(FixityScope.All, Token);
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);

        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("UPDATE fixity_checks SET outcome = 'verified'"));
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("DELETE FROM fixity_checks"));

        Assert.StartsWith("permission denied for table fixity_checks", update.MessageText, StringComparison.Ordinal);
        Assert.StartsWith("permission denied for table fixity_checks", delete.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fixity_events_chain_into_a_valid_audit_trail()
    {
        await using var scenario = await FixityScenario.StartAsync();
        await scenario.ArchiveAsync(2, Token);
        await scenario.Checker().RunAsync(FixityScope.All, Token);
        await new AuditSealer(scenario.Catalogue.DataSource, NullLogger<AuditSealer>.Instance).SealAllAsync(Token);

        var result = await new AuditTrailVerifier(scenario.Catalogue.DataSource, scenario.Store, Enforcement.Media.Storage.Audit.Checkpoints.AuditKeyring.Of(null)).VerifyCatalogueAsync([], Token);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_events WHERE action = 'fixity.verified'"));
    }
}
