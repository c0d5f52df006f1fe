using System.Collections.Concurrent;
using Dapper;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Storage;

public sealed class JobQueueTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private JobQueue Queue => new(catalogue.DataSource, NullLogger<JobQueue>.Instance);

    private static string NewKind() => $"test-{Guid.NewGuid():N}";

    [Fact]
    public async Task Many_workers_claiming_at_once_never_get_the_same_job()
    {
        var kind = NewKind();
        for (var i = 0; i < 200; i++)
        {
            await Queue.EnqueueAsync(new JobRequest(kind, null, new { i }), Token);
        }

        var claimed = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(
            async () =>
            {
                while (await Queue.ClaimAsync([kind], $"worker-{worker}", TimeSpan.FromMinutes(1), Token) is { } job)
                {
                    claimed.Add(job.Id);
                }
            },
            Token)));

        Assert.Equal(200, claimed.Count);
        Assert.Equal(200, claimed.Distinct().Count());
    }

    [Fact]
    public async Task Higher_priority_jobs_are_claimed_first()
    {
        var kind = NewKind();
        var low = await Queue.EnqueueAsync(new JobRequest(kind, null, Priority: 0), Token);
        var high = await Queue.EnqueueAsync(new JobRequest(kind, null, Priority: 10), Token);

        var first = await Queue.ClaimAsync([kind], "w", TimeSpan.FromMinutes(1), Token);
        var second = await Queue.ClaimAsync([kind], "w", TimeSpan.FromMinutes(1), Token);

        Assert.Equal(high, first!.Id);
        Assert.Equal(low, second!.Id);
    }

    [Fact]
    public async Task A_failing_job_is_retried_after_its_delay_then_given_up_when_out_of_attempts()
    {
        var kind = NewKind();
        var id = await Queue.EnqueueAsync(new JobRequest(kind, null, MaxAttempts: 2), Token);

        var first = await Queue.ClaimAsync([kind], "w", TimeSpan.FromMinutes(1), Token);
        Assert.Equal(JobFailure.WillRetry, await Queue.FailAsync(first!.Id, "w", "boom 1", TimeSpan.FromHours(1), Token));
        Assert.Null(await Queue.ClaimAsync([kind], "w", TimeSpan.FromMinutes(1), Token));

        await ExecuteAsync("UPDATE jobs SET run_after = now() WHERE id = @id", new { id });
        var second = await Queue.ClaimAsync([kind], "w", TimeSpan.FromMinutes(1), Token);
        Assert.Equal(2, second!.Attempts);
        Assert.Equal(JobFailure.GaveUp, await Queue.FailAsync(second.Id, "w", "boom 2", TimeSpan.Zero, Token));

        Assert.Equal(("failed", "boom 2"), await QueryStateAsync(id!.Value));
    }

    [Fact]
    public async Task A_job_whose_worker_died_runs_again_after_its_lease_expires()
    {
        var kind = NewKind();
        var id = await Queue.EnqueueAsync(new JobRequest(kind, null), Token);
        await Queue.ClaimAsync([kind], "dead-worker", TimeSpan.Zero, Token);

        await Queue.RecoverExpiredLeasesAsync(Token);
        var again = await Queue.ClaimAsync([kind], "live-worker", TimeSpan.FromMinutes(1), Token);

        Assert.Equal(id, again!.Id);
        Assert.Equal(2, again.Attempts);
        Assert.False(await Queue.CompleteAsync(id!.Value, "dead-worker", Token), "a stale worker cannot complete a job it lost");
        Assert.True(await Queue.CompleteAsync(id.Value, "live-worker", Token));
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(sql, parameters);
    }

    private async Task<(string State, string? LastError)> QueryStateAsync(long id)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.QuerySingleAsync<(string, string?)>("SELECT state, last_error FROM jobs WHERE id = @id", new { id });
    }
}
