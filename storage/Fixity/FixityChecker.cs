using System.Buffers;
using System.Security.Cryptography;
using Enforcement.Media.Storage.Alerts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Fixity;

/// <summary>
/// Re-reads stored originals and recomputes their SHA-256 (streaming, never the whole file in memory),
/// compares it with what was recorded when they were stored, and records every finding twice: a
/// <c>fixity_checks</c> row for the supervisors' page and an audit event (<c>fixity.verified</c>,
/// <c>fixity.mismatch</c>, <c>fixity.missing</c>, <c>fixity.unreadable</c>), in one transaction, with an
/// alert for a mismatch or a missing original (an unreadable one is the store's availability, not the
/// evidence's integrity: a store outage would raise one per original). Anything but "verified" is logged at
/// error level.
/// </summary>
public sealed partial class FixityChecker(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    AuditTrail audit,
    IOptions<FixityOptions> options,
    TimeProvider time,
    ILogger<FixityChecker> logger,
    FixityMetrics? metrics = null)
{
    private const int PageSize = 500;
    private const int BufferSize = 1024 * 1024;

    private readonly FixityStore _fixity = new(dataSource);

    public async Task<FixityRun> RunAsync(FixityScope scope, CancellationToken cancellationToken)
    {
        var runId = Guid.CreateVersion7(time.GetUtcNow());
        var problems = new List<FixityResult>();
        var checkedCount = 0;
        var verified = 0;
        LogStarted(runId, scope, store.Name);
        await foreach (var target in TargetsAsync(scope, cancellationToken))
        {
            var result = await CheckAsync(target, cancellationToken);
            await RecordAsync(runId, result, cancellationToken);
            metrics?.Checked(result);
            checkedCount++;
            if (result.Outcome == FixityOutcome.Verified)
            {
                verified++;
            }
            else
            {
                problems.Add(result);
            }
        }

        LogFinished(runId, scope, checkedCount, verified, problems.Count);
        var elsewhere = await _fixity.CountOriginalsElsewhereAsync(store.Name, cancellationToken);
        if (elsewhere > 0)
        {
            LogElsewhere(elsewhere, store.Name);
        }

        return new FixityRun(runId, scope, checkedCount, verified, problems, elsewhere);
    }

    private async IAsyncEnumerable<FixityTarget> TargetsAsync(FixityScope scope, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (scope == FixityScope.Sample)
        {
            // Spread the work evenly over the coverage period, and never let an original slip past it
            // (after an outage, every overdue original is in the next sample).
            var coverage = TimeSpan.FromDays(Math.Max(1, options.Value.CoverageDays));
            var every = options.Value.SampleEvery > TimeSpan.Zero && options.Value.SampleEvery < coverage ? options.Value.SampleEvery : coverage;
            var total = await _fixity.CountOriginalsAsync(store.Name, cancellationToken);
            var quota = (long)Math.Ceiling(total * (every / coverage));
            foreach (var target in await _fixity.SampleAsync(store.Name, quota, time.GetUtcNow() - (coverage - every), cancellationToken))
            {
                yield return target;
            }

            yield break;
        }

        var after = Guid.Empty;
        while (true)
        {
            var page = await _fixity.PageAsync(store.Name, after, PageSize, cancellationToken);
            foreach (var target in page)
            {
                yield return target;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].ObjectId;
        }
    }

    private async Task<FixityResult> CheckAsync(FixityTarget target, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var content = await store.OpenReadAsync(target.Location, null, cancellationToken);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                length += read;
            }

            var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
            var elapsed = time.GetElapsedTime(started);
            if (actual == target.Sha256 && length == target.Size)
            {
                return new FixityResult(target, FixityOutcome.Verified, actual, length, null, elapsed);
            }

            LogMismatch(target.ObjectId, target.RecordingId, target.Location, target.Sha256, actual, target.Size, length);
            return new FixityResult(target, FixityOutcome.Mismatch, actual, length, $"stored as {target.Size} bytes with SHA-256 {target.Sha256}, now {length} bytes with SHA-256 {actual}", elapsed);
        }
        catch (ObjectNotFoundException ex)
        {
            LogMissing(ex, target.ObjectId, target.RecordingId, target.Location);
            return new FixityResult(target, FixityOutcome.Missing, null, null, ex.Message, time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Per object: one unreadable original must not stop the others being checked. It is
            // recorded and reported like a mismatch, never passed over.
            LogUnreadable(ex, target.ObjectId, target.RecordingId, target.Location);
            return new FixityResult(target, FixityOutcome.Unreadable, null, null, $"{ex.GetType().Name}: {ex.Message}", time.GetElapsedTime(started));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task RecordAsync(Guid runId, FixityResult result, CancellationToken cancellationToken)
    {
        var target = result.Target;
        var outcome = result.Outcome.ToString().ToLowerInvariant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var details = new
        {
            runId,
            objectId = target.ObjectId,
            store = store.Name,
            key = target.Location.Key,
            versionId = target.Location.VersionId,
            expectedSha256 = target.Sha256,
            actualSha256 = result.ActualSha256,
            expectedSize = target.Size,
            actualSize = result.ActualSize,
            reason = result.Reason,
        };
        await FixityStore.RecordAsync(connection, transaction, runId, store.Name, result, now, cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(
                "system:fixity",
                $"fixity.{outcome}",
                target.RecordingId is null ? "stored_object" : "recording",
                (target.RecordingId ?? target.ObjectId).ToString(),
                details),
            cancellationToken);
        if (result.Outcome is FixityOutcome.Mismatch or FixityOutcome.Missing)
        {
            await AlertStore.RaiseAsync(connection, transaction, AlertOf(result, details), now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The alert for a mismatch or a missing original: the facts its audit event records, and one line for a person.</summary>
    private Alert AlertOf(FixityResult result, object details)
    {
        var target = result.Target;
        var mismatch = result.Outcome == FixityOutcome.Mismatch;
        var what = target.RecordingId is { } recording ? $"The original of recording {recording}" : $"Stored object {target.ObjectId}";
        return new Alert(
            mismatch ? AlertKinds.FixityMismatch : AlertKinds.FixityMissing,
            target.RecordingId is null ? "stored_object" : "recording",
            (target.RecordingId ?? target.ObjectId).ToString(),
            mismatch
                ? $"{what} no longer matches the SHA-256 recorded when it was stored."
                : $"{what} is missing from evidence store {store.Name}.",
            details);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fixity run {RunId} ({Scope}) started on store {Store}")]
    private partial void LogStarted(Guid runId, FixityScope scope, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fixity run {RunId} ({Scope}) checked {Checked} originals: {Verified} verified, {Problems} with problems")]
    private partial void LogFinished(Guid runId, FixityScope scope, int @checked, int verified, int problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} originals are catalogued in other evidence stores than {Store} and were not checked: run fixity from a process configured for each store")]
    private partial void LogElsewhere(long count, string store);

    [LoggerMessage(Level = LogLevel.Error, Message = "FIXITY MISMATCH: stored object {ObjectId} of recording {RecordingId} at {ObjectKey} was stored with SHA-256 {ExpectedSha256} ({ExpectedSize} bytes) and now reads as {ActualSha256} ({ActualSize} bytes)")]
    private partial void LogMismatch(Guid objectId, Guid? recordingId, ObjectRef objectKey, string expectedSha256, string actualSha256, long expectedSize, long actualSize);

    [LoggerMessage(Level = LogLevel.Error, Message = "FIXITY MISSING: stored object {ObjectId} of recording {RecordingId} at {ObjectKey} is not in the evidence store")]
    private partial void LogMissing(Exception exception, Guid objectId, Guid? recordingId, ObjectRef objectKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "FIXITY UNREADABLE: stored object {ObjectId} of recording {RecordingId} at {ObjectKey} could not be read")]
    private partial void LogUnreadable(Exception exception, Guid objectId, Guid? recordingId, ObjectRef objectKey);
}
