using System.Threading.Channels;
using Dapper;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Storage.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// Puts every served range on record before its bytes leave (no byte unlogged). A request
/// hands its range here and waits; one writer drains whatever is waiting into a single transaction — the
/// sessions' byte counts, checked live in the same statement, and one audit event per range (binary COPY)
/// — and commits, then releases each waiter with "go" or "refused". Concurrent reviewers share commits
/// (group commit) instead of queueing one transaction each; no range is ever served on a promise.
/// </summary>
public sealed partial class RangeLog(
    NpgsqlDataSource dataSource,
    AuditTrail audit,
    IOptions<PlaybackOptions> options,
    TimeProvider time,
    ILogger<RangeLog> logger) : BackgroundService
{
    private readonly Channel<Waiting> _queue = Channel.CreateBounded<Waiting>(new BoundedChannelOptions(8192) { SingleReader = true });

    /// <summary>
    /// Returns once the range is committed to the audit trail. Throws <see cref="PlaybackRefusedException"/>
    /// (410) when the session ended or lapsed meanwhile, and <see cref="RangeLogException"/> when the record
    /// could not be written — either way nothing may be served.
    /// </summary>
    public async Task RecordAsync(ServedRange range, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(range, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(waiting, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            // Shutting down: the writer no longer takes ranges, so this one cannot be put on record.
            throw new RangeLogException("The viewing ledger is shutting down; try again shortly.", ex);
        }

        if (!await waiting.Done.Task.WaitAsync(cancellationToken))
        {
            throw new PlaybackRefusedException(Refusal.Gone, "This viewing session is over; start a new one.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Waiting>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < Math.Max(1, options.Value.RangeLogBatchSize) && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                try
                {
                    var live = await WriteAsync(batch, stoppingToken);
                    foreach (var waiting in batch)
                    {
                        waiting.Done.TrySetResult(live.Contains(waiting.Range.Session.Id));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Whatever the failure, these ranges are not on record: each waiter is refused.
                    LogFailed(ex, batch.Count);
                    var refusal = new RangeLogException("The viewing could not be put on record, so nothing was served.", ex);
                    foreach (var waiting in batch)
                    {
                        waiting.Done.TrySetException(refusal);
                    }
                }

                batch.Clear();
            }
        }
        finally
        {
            // Stopping: whoever still waits is refused, never served unrecorded.
            _queue.Writer.TryComplete();
            var stopping = new RangeLogException("The player is stopping; nothing was served.");
            foreach (var waiting in batch)
            {
                waiting.Done.TrySetException(stopping);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetException(stopping);
            }
        }
    }

    private async Task<HashSet<Guid>> WriteAsync(List<Waiting> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Counted and checked live in one statement: a session that ended a moment ago gets nothing more.
        const string count = """
            UPDATE playback_sessions s SET bytes_served = s.bytes_served + b.bytes
            FROM (SELECT t.session_id, sum(t.bytes)::bigint AS bytes
                  FROM unnest(@sessions, @bytes) AS t(session_id, bytes) GROUP BY t.session_id) b
            WHERE s.id = b.session_id AND s.ended_at IS NULL AND s.expires_at > @now
            RETURNING s.id
            """;
        var live = (await connection.QueryAsync<Guid>(new CommandDefinition(
            count,
            new { sessions = batch.Select(w => w.Range.Session.Id).ToArray(), bytes = batch.Select(w => w.Range.Length).ToArray(), now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken))).ToHashSet();

        var entries = batch
            .Where(w => live.Contains(w.Range.Session.Id))
            .Select(w => new AuditEntry(w.Range.Session.Actor, "playback.range", "recording", w.Range.Session.RecordingId.ToString(), new
            {
                session = w.Range.Session.Id,
                part = w.Range.Part,
                variant = w.Range.Session.Variant,
                first = w.Range.First,
                last = w.Range.Last,
                bytes = w.Range.Length,
            }))
            .ToList();
        if (entries.Count > 0)
        {
            await audit.AppendManyAsync(connection, entries, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return live;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Count} playback ranges; they were refused, nothing was served")]
    private partial void LogFailed(Exception exception, int count);

    private sealed record Waiting(ServedRange Range, TaskCompletionSource<bool> Done);
}
