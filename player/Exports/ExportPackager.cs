using Enforcement.Media.Storage.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Builds the package of an approved export: gathers the chain of custody, streams the originals and the
/// rest through <see cref="PackageBuilder"/> into <see cref="PackageVault"/>, which locks the result in the
/// evidence store. A package that cannot be built is recorded as failed, with the reason, and audited.
/// </summary>
public sealed partial class ExportPackager(
    NpgsqlDataSource dataSource,
    ExportStore exports,
    CustodyPlanner custody,
    PackageBuilder builder,
    PackageVault vault,
    AuditTrail audit,
    IOptions<ExportOptions> options,
    TimeProvider time,
    ILogger<ExportPackager> logger)
{
    /// <summary>Builds the package when the export is approved and not built yet; a no-op otherwise (a job run twice changes nothing).</summary>
    public async Task BuildAsync(Guid exportId, CancellationToken cancellationToken)
    {
        var request = await exports.FindAsync(exportId, cancellationToken);
        if (request is not { State: ExportState.Approved })
        {
            return;
        }

        var sources = await exports.SourcesAsync(exportId, cancellationToken);
        var plan = await custody.PlanAsync([.. sources.Select(s => s.RecordingId)], exportId, cancellationToken);
        var builtAt = time.GetUtcNow();

        // Kept as long as configured, and never shorter than the originals it copies are locked.
        var retainUntil = builtAt.AddDays(Math.Max(1, options.Value.PackageRetentionDays));
        foreach (var source in sources.Where(s => s.RetainUntil > retainUntil))
        {
            retainUntil = source.RetainUntil;
        }

        var stored = await vault.StoreAsync(exportId, (output, token) => builder.WriteAsync(output, request, sources, plan, builtAt, token), retainUntil, cancellationToken);
        LogBuilt(exportId, sources.Count, stored.Sha256, stored.Size);
    }

    /// <summary>Records that the package cannot be built; the requester sees the reason, the audit trail keeps it.</summary>
    public async Task FailAsync(Guid exportId, string reason, CancellationToken cancellationToken)
    {
        var shown = reason.Length > 2000 ? reason[..2000] : reason;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ExportStore.MarkFailedAsync(connection, transaction, exportId, shown, cancellationToken))
        {
            await audit.AppendAsync(connection, transaction, new AuditEntry(PackageVault.Actor, "export.failed", "export", exportId.ToString(), new { reason = shown }), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        LogFailed(exportId, shown);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId}: {Recordings} recording(s) packaged as {Sha256} ({Size} bytes)")]
    private partial void LogBuilt(Guid exportId, int recordings, string sha256, long size);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} failed: {Reason}")]
    private partial void LogFailed(Guid exportId, string reason);
}
