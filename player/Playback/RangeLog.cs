using Dapper;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// Puts every served range on record before its bytes leave (no byte unlogged). A request
/// hands its range here and waits; one writer drains whatever is waiting into a single transaction — the
/// sessions' byte counts, checked live in the same statement, and one audit event per range (binary COPY)
/// — and commits, then releases each waiter with "go" or "refused". Concurrent reviewers share commits
/// (<see cref="GroupCommit{TItem}"/>) instead of queueing one transaction each; no range is ever served on a promise.
/// </summary>
public sealed partial class RangeLog(
    NpgsqlDataSource dataSource,
    AuditTrail audit,
    IOptions<PlaybackOptions> options,
    TimeProvider time,
    ILogger<RangeLog> logger) : BackgroundService
{
    private readonly GroupCommit<ServedRange> _commits = new();

    /// <summary>
    /// Returns once the range is committed to the audit trail. Throws <see cref="PlaybackRefusedException"/>
    /// (410) when the session ended or lapsed meanwhile, and <see cref="RangeLogException"/> when the record
    /// could not be written — either way nothing may be served.
    /// </summary>
    public async Task RecordAsync(ServedRange range, CancellationToken cancellationToken)
    {
        bool live;
        try
        {
            live = await _commits.SubmitAsync(range, cancellationToken);
        }
        catch (GroupCommitException ex)
        {
            throw new RangeLogException(
                ex.Stopped ? "The player is stopping; nothing was served." : "The viewing could not be put on record, so nothing was served.", ex);
        }

        if (!live)
        {
            throw new PlaybackRefusedException(Refusal.Gone, "This viewing session is over; start a new one.");
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _commits.RunAsync(options.Value.RangeLogBatchSize, WriteAsync, LogFailed, stoppingToken);

    /// <summary>The ranges of live sessions, on record; those of sessions over are declined.</summary>
    private async Task<Predicate<ServedRange>> WriteAsync(IReadOnlyList<ServedRange> batch, CancellationToken cancellationToken)
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
            new { sessions = batch.Select(r => r.Session.Id).ToArray(), bytes = batch.Select(r => r.Length).ToArray(), now = now.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken))).ToHashSet();

        var entries = batch
            .Where(r => live.Contains(r.Session.Id))
            .Select(r => new AuditEntry(r.Session.Actor, "playback.range", "recording", r.Session.RecordingId.ToString(), new
            {
                session = r.Session.Id,
                part = r.Part,
                variant = r.Session.Variant,
                first = r.First,
                last = r.Last,
                bytes = r.Length,
            }))
            .ToList();
        if (entries.Count > 0)
        {
            await audit.AppendManyAsync(connection, entries, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return range => live.Contains(range.Session.Id);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Count} playback ranges; they were refused, nothing was served")]
    private partial void LogFailed(Exception exception, int count);
}
