using System.Diagnostics;
using Dapper;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Uploads;
using Npgsql;

namespace Enforcement.Media.Tests.Ingest.KillTest;

/// <summary>
/// The kill test's loop and its final accounting: real <c>ingest run</c> processes over the real
/// catalogue and store, each SIGKILLed where the seeded schedule aims, restarted until the work is
/// done; then every content must be one recording and one locked stored object, with nothing left
/// over (no pending write, no unlocked or partial object, no job waiting) and an intact audit chain.
/// Leases and intervals are short so a dead process's leftovers are taken over within the test.
/// </summary>
public abstract class KillTestBase(CatalogueFixture catalogue) : IDisposable
{
    protected const int Kills = 6;

    protected TempFolder Folder { get; } = new();

    protected CatalogueFixture Catalogue => catalogue;

    protected KillSchedule Schedule { get; } = new();

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Store settings for the processes (<c>Store__*</c>).</summary>
    protected abstract IReadOnlyDictionary<string, string> StoreEnvironment { get; }

    /// <summary>The store as the test reads it (never written through).</summary>
    protected abstract IEvidenceStore Store { get; }

    /// <summary>Every stored original, locked or not.</summary>
    protected abstract Task<IReadOnlyList<ObjectRef>> ListOriginalsAsync();

    /// <summary>What an interrupted write could leave besides objects: unfinished multipart uploads, staging files.</summary>
    protected abstract Task<IReadOnlyList<string>> ListPartialWritesAsync();

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Catalogue"] = TestServices.PostgresConnection,
            ["Catalogue__Schema"] = catalogue.Schema,
            ["Store__PendingWriteLease"] = "00:00:03",
            ["Jobs__PollInterval"] = "00:00:00.100",
            ["Jobs__Lease"] = "00:00:06",
            ["Jobs__RetryDelay"] = "00:00:00.500",
            ["Jobs__MaxRetryDelay"] = "00:00:02",
            ["Jobs__RecoveryInterval"] = "00:00:01",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in StoreEnvironment.Concat(extra))
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>
    /// Runs up to <see cref="Kills"/> processes that are each SIGKILLed at a point the schedule picks
    /// (or at the round's end when the point never shows), then one that is left to finish.
    /// <paramref name="drive"/> plays the outside world (a client) against each process.
    /// </summary>
    protected async Task RunUntilDoneAsync(
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<KillPoint> points,
        Func<IngestProcess, CancellationToken, Task> drive,
        Func<Task<bool>> done)
    {
        for (var round = 1; round <= Kills && !await done(); round++)
        {
            var point = Schedule.Pick(points);
            var giveUpAfter = TimeSpan.FromSeconds(1.5) + Schedule.Delay(4);
            var process = await IngestProcess.StartAsync(environment);
            using var driving = new CancellationTokenSource();
            var client = drive(process, driving.Token);
            var watch = Stopwatch.StartNew();
            var reached = false;
            while (watch.Elapsed < giveUpAfter && !(reached = await point.Reached()))
            {
                await Task.Delay(2, Token);
            }

            await process.KillAsync();
            await driving.CancelAsync();
            await Quietly(client);
            await process.DisposeAsync();
            Schedule.Record($"#{round} {point.Name} {(reached ? "reached" : "not reached")} at {watch.Elapsed.TotalSeconds:F2}s");
        }

        await using var last = await IngestProcess.StartAsync(environment);
        using var finishing = new CancellationTokenSource();
        var finalClient = drive(last, finishing.Token);
        await Tus.EventuallyAsync(done, $"the work to be done by a process left running ({Schedule.Describe()})\n{last.Output}", seconds: 90);
        await Tus.EventuallyAsync(
            async () => await CountAsync("SELECT count(*) FROM pending_writes") == 0
                && await CountAsync("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')") == 0,
            $"pending writes and the job queue to drain ({Schedule.Describe()})\n{last.Output}",
            seconds: 60);
        await finishing.CancelAsync();
        await Quietly(finalClient);
    }

    /// <summary>
    /// The bar every kill run must clear, for the contents it delivered (SHA-256 → size): exactly one
    /// recording each, with exactly one stored original, locked, and nothing else in the store.
    /// </summary>
    protected async Task AssertStoredExactlyOnceAsync(IReadOnlyDictionary<string, long> contents)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        var catalogued = (await connection.QueryAsync<(string Sha256, long Size, string Key, string? VersionId)>(
            "SELECT r.sha256, r.size_bytes, o.object_key, o.version_id FROM recordings r JOIN stored_objects o ON o.id = r.original_object_id")).ToList();

        foreach (var (sha256, size) in contents)
        {
            var rows = catalogued.Where(c => c.Sha256 == sha256).ToList();
            Assert.True(rows.Count == 1, $"{sha256} is catalogued {rows.Count} times ({Schedule.Describe()})");
            Assert.Equal(size, rows[0].Size);
        }

        Assert.True(catalogued.Count == contents.Count, $"the catalogue holds {catalogued.Count} recordings for {contents.Count} contents ({Schedule.Describe()})");

        var originals = await ListOriginalsAsync();
        var expected = catalogued.Select(c => new ObjectRef(c.Key, c.VersionId)).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        Assert.True(
            expected.SequenceEqual(originals.OrderBy(r => r.Key, StringComparer.Ordinal)),
            $"the store holds originals [{string.Join(", ", originals)}], the catalogue names [{string.Join(", ", expected)}] ({Schedule.Describe()})");
        foreach (var original in originals)
        {
            var retention = await Store.GetRetentionAsync(original, Token);
            Assert.True(retention.RetainUntil > TimeProvider.System.GetUtcNow() && retention.Mode == ObjectRetention.Compliance, $"{original} is not locked ({Schedule.Describe()})");
            await using var read = await Store.OpenReadAsync(original, null, Token);
            var sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(read, Token));
            Assert.True(contents.ContainsKey(sha256), $"{original} reads back as {sha256}, which nobody delivered ({Schedule.Describe()})");
        }

        var partial = await ListPartialWritesAsync();
        Assert.True(partial.Count == 0, $"left over from interrupted writes: {string.Join(", ", partial)} ({Schedule.Describe()})");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')"));

        // A job may end failed only by being killed as often as it may be tried (the queue's guard
        // against a job that crashes its worker); any other failure is a finding.
        var failedJobs = (await connection.QueryAsync<string>(
            """
            SELECT kind || ' (' || attempts || ' of ' || max_attempts || ' attempts): ' || coalesce(last_error, '')
            FROM jobs
            WHERE state <> 'succeeded' AND NOT (attempts >= max_attempts AND last_error LIKE 'lease of % expired%')
            """)).ToList();
        Assert.True(failedJobs.Count == 0, $"jobs failed: {string.Join("; ", failedJobs)} ({Schedule.Describe()})");
    }

    protected async Task AssertAuditChainVerifiesAsync()
    {
        var verify = await IngestCli.RunAsync(["audit", "verify"], Environment(new Dictionary<string, string>()), Token);
        Assert.True(verify.ExitCode == 0, $"audit verify failed ({Schedule.Describe()}):\n{verify.Output}{verify.Error}");
        Assert.Contains("VALID", verify.Output, StringComparison.Ordinal);
    }

    protected async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    /// <summary>A kill point reached when the catalogue shows a row for the query.</summary>
    protected KillPoint WhenCatalogueShows(string name, string sql) => new(name, async () => await CountAsync(sql) > 0);

    /// <summary>Never "reached": the kill lands when the round's random time runs out, wherever the work is.</summary>
    protected static KillPoint AnyMoment { get; } = new("any moment", () => Task.FromResult(false));

    /// <summary>Runs the test body and, when it fails, says how to replay it.</summary>
    protected async Task WithSeedOnFailureAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception ex) when (!Token.IsCancellationRequested)
        {
            throw new KillTestFailedException($"Kill test failed: {ex.Message}\n{Schedule.Describe()}", ex);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or NpgsqlException)
        {
            // The client's connection died with the process, as a real client's would.
        }
    }
}

public sealed class KillTestFailedException(string message, Exception inner) : Exception(message, inner);
