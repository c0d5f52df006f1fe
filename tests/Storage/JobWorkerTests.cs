using Dapper;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Storage;

public sealed class JobWorkerTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private (JobWorker Worker, JobQueue Queue) Create(IJobHandler handler, TimeSpan? retryDelay = null)
    {
        var queue = new JobQueue(catalogue.DataSource, NullLogger<JobQueue>.Instance);
        var worker = new JobWorker([handler], queue, Options.Create(new JobOptions { RetryDelay = retryDelay ?? TimeSpan.FromMinutes(1) }), NullLogger<JobWorker>.Instance);
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

    [Fact]
    public async Task A_handler_hears_of_its_job_only_once_the_last_attempt_failed()
    {
        var gaveUp = new List<(long Job, string Failure)>();
        var handler = new Handler(job => throw new InvalidDataException($"attempt {job.Attempts}"), (job, failure) => gaveUp.Add((job.Id, failure.Message)));
        var (worker, queue) = Create(handler, retryDelay: TimeSpan.Zero);
        var id = await queue.EnqueueAsync(new JobRequest(handler.Kind, null, MaxAttempts: 2), Token);
        var byKind = new Dictionary<string, IJobHandler> { [handler.Kind] = handler };

        Assert.True(await worker.RunOnceAsync(byKind, Token));
        Assert.Empty(gaveUp);
        Assert.True(await worker.RunOnceAsync(byKind, Token));

        Assert.Equal([(id!.Value, "attempt 2")], gaveUp);
        Assert.Equal(("failed", "InvalidDataException: attempt 2"), await StateAsync(id.Value));
    }

    [Fact]
    public async Task The_running_loop_starts_work_queued_here_when_woken_not_at_its_next_poll_and_never_claims_a_disabled_kind()
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var enabled = new Handler(job =>
        {
            done.TrySetResult(job.Id);
            return Task.CompletedTask;
        });
        var disabled = new Handler(_ => throw new InvalidOperationException("a disabled handler ran")) { Disabled = "no key for it (test)" };
        var queue = new JobQueue(catalogue.DataSource, NullLogger<JobQueue>.Instance);
        var wakeup = new JobWakeup();
        using var worker = new JobWorker([enabled, disabled], queue, Options.Create(new JobOptions { PollInterval = TimeSpan.FromMinutes(10) }), NullLogger<JobWorker>.Instance, wakeup: wakeup);
        await worker.StartAsync(Token);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Token); // the loops found nothing and sleep for the poll interval

        var left = await queue.EnqueueAsync(new JobRequest(disabled.Kind, null), Token);
        var id = await queue.EnqueueAsync(new JobRequest(enabled.Kind, null), Token);
        wakeup.Wake();

        Assert.Equal(id, await done.Task.WaitAsync(TimeSpan.FromSeconds(30), Token));
        await worker.StopAsync(Token);
        Assert.Equal(("queued", null), await StateAsync(left!.Value)); // left for a process that can run it
    }

    private async Task<(string State, string? LastError)> StateAsync(long id)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.QuerySingleAsync<(string, string?)>("SELECT state, last_error FROM jobs WHERE id = @id", new { id });
    }

    private sealed class Handler(Func<ClaimedJob, Task> handle, Action<ClaimedJob, Exception>? gaveUp = null) : IJobHandler
    {
        public string Kind { get; } = $"test-{Guid.NewGuid():N}";

        public string? Disabled { get; init; }

        public Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken) => handle(job);

        public Task GaveUpAsync(ClaimedJob job, Exception failure, CancellationToken cancellationToken)
        {
            gaveUp?.Invoke(job, failure);
            return Task.CompletedTask;
        }
    }
}
