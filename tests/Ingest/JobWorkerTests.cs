using Dapper;
using Enforcement.Media.Ingest.Jobs;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest;

public sealed class JobWorkerTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private (JobWorker Worker, JobQueue Queue) Create(IJobHandler handler)
    {
        var queue = new JobQueue(catalogue.DataSource, NullLogger<JobQueue>.Instance);
        var worker = new JobWorker([handler], queue, Options.Create(new JobOptions { RetryDelay = TimeSpan.FromMinutes(1) }), NullLogger<JobWorker>.Instance);
        return (worker, queue);
    }

    [Fact]
    public async Task A_handled_job_is_marked_succeeded()
    {
        var handler = new Handler(_ => Task.CompletedTask);
        var (worker, queue) = Create(handler);
        var id = await queue.EnqueueAsync(new JobRequest(handler.Kind, null), Token);

        Assert.True(await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [handler.Kind] = handler }, Token));

        Assert.Equal(("succeeded", null), await StateAsync(id!.Value));
    }

    [Fact]
    public async Task A_handler_that_throws_leaves_the_job_queued_with_the_reason_and_the_worker_running()
    {
        var handler = new Handler(_ => throw new InvalidDataException("moov atom not found"));
        var (worker, queue) = Create(handler);
        var id = await queue.EnqueueAsync(new JobRequest(handler.Kind, null), Token);

        Assert.True(await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [handler.Kind] = handler }, Token));

        Assert.Equal(("queued", "InvalidDataException: moov atom not found"), await StateAsync(id!.Value));
        Assert.False(await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [handler.Kind] = handler }, Token), "the retry waits for its backoff");
    }

    private async Task<(string State, string? LastError)> StateAsync(long id)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.QuerySingleAsync<(string, string?)>("SELECT state, last_error FROM jobs WHERE id = @id", new { id });
    }

    private sealed class Handler(Func<ClaimedJob, Task> handle) : IJobHandler
    {
        public string Kind { get; } = $"test-{Guid.NewGuid():N}";

        public Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken) => handle(job);
    }
}
