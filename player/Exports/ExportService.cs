using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// The export workflow (未经批准不得对外提供): a user whose role may view originals requests recordings for
/// a recipient with a reason; a supervisor other than the requester approves or denies, with a reason;
/// approval queues the package; the requester downloads it once, if they still hold such a role. Every
/// step, and every refused decision and download, is an audit event committed with the change it describes.
/// </summary>
public sealed class ExportService(
    NpgsqlDataSource dataSource,
    AuditTrail audit,
    ExportSigner signer,
    JobWakeup wakeup,
    IOptions<ExportOptions> options,
    TimeProvider time)
{
    public const string JobKind = "export-package";
    public const int MaxReasonLength = 2000;
    public const int MaxRecipientLength = 500;

    private const string OriginalsOnly =
        "An export hands out the byte-exact originals, and your role may not view originals: only a legal reviewer or a supervisor may request an export.";

    /// <summary>Asks for an export; <paramref name="mayReceiveOriginals"/> is whether the requester's role may view originals (<see cref="ExportPolicies.Request"/>).</summary>
    public async Task<Guid> RequestAsync(ExportPrincipal requester, bool mayReceiveOriginals, IReadOnlyList<string>? recordingIds, string? reason, string? recipient, CancellationToken cancellationToken)
    {
        if (!mayReceiveOriginals)
        {
            throw new ExportRefusedException(Refusal.NotAllowed, OriginalsOnly);
        }

        if (!signer.IsConfigured)
        {
            throw new ExportRefusedException(Refusal.Unavailable, $"Exports are not set up: no agency signing key ({ExportOptions.Section}:SigningKeyPath).");
        }

        var why = Text(reason, "reason", MaxReasonLength);
        var to = Text(recipient, "recipient", MaxRecipientLength);
        var ids = ParseIds(recordingIds);
        var id = Guid.CreateVersion7(time.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var visible = (await ExportStore.VisibleAsync(connection, transaction, requester.UserId, requester.UnitCode, ids, cancellationToken)).ToHashSet();
        for (var i = 0; i < ids.Count; i++)
        {
            if (!visible.Contains(ids[i]))
            {
                // One answer for "no such recording", "disposed of" and "not yours": nothing is learnt by asking.
                throw new ExportRefusedException(Refusal.Invalid, $"Recording {ids[i]} does not exist or is not one you may export.", $"recordings[{i}]");
            }
        }

        await ExportStore.InsertAsync(connection, transaction, id, requester.UserId, requester.Actor, time.GetUtcNow(), why, to, ids, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(requester.Actor, "export.requested", "export", id.ToString(), new { recordings = ids, reason = why, recipient = to }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>A supervisor approves (and the package is queued) or denies; never their own request.</summary>
    public async Task DecideAsync(Guid exportId, ExportPrincipal decider, bool approve, string? reason, CancellationToken cancellationToken)
    {
        var why = Text(reason, "reason", MaxReasonLength);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var request = await ExportStore.LockAsync(connection, transaction, exportId, cancellationToken)
            ?? throw new ExportRefusedException(Refusal.NotFound, "There is no such export request.");
        if (request.RequestedBy == decider.UserId)
        {
            // Refused, and the attempt itself is on record.
            await audit.AppendAsync(connection, transaction, new AuditEntry(decider.Actor, "export.decision-refused", "export", exportId.ToString(), new { approve, reason = why, why = "a supervisor may not decide on their own export request" }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw new ExportRefusedException(Refusal.NotAllowed, "You may not decide on your own export request; another supervisor must.");
        }

        if (request.State != ExportState.Requested)
        {
            throw new ExportRefusedException(Refusal.Conflict, $"This request was already decided (it is {request.State}).");
        }

        // A supervisor decides only on footage they may see themselves (their unit's, or their cases'):
        // approval is a judgement about that footage, and another unit's supervisor cannot make it.
        var items = await ExportStore.ItemsAsync(connection, transaction, exportId, cancellationToken);
        if ((await ExportStore.VisibleAsync(connection, transaction, decider.UserId, decider.UnitCode, items, cancellationToken)).Count != items.Count)
        {
            await audit.AppendAsync(connection, transaction, new AuditEntry(decider.Actor, "export.decision-refused", "export", exportId.ToString(), new { approve, reason = why, why = "the request names recordings this supervisor may not see" }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw new ExportRefusedException(Refusal.NotAllowed, "This request names recordings outside what you may see; a supervisor of their unit must decide.");
        }

        var state = approve ? ExportState.Approved : ExportState.Denied;
        await ExportStore.DecideAsync(connection, transaction, exportId, state, decider.UserId, decider.Actor, time.GetUtcNow(), why, cancellationToken);
        if (approve)
        {
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKind, null, new { exportId }, Priority: 5, MaxAttempts: 3), cancellationToken);
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(decider.Actor, approve ? "export.approved" : "export.denied", "export", exportId.ToString(), new { reason = why }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (approve)
        {
            wakeup.Wake();
        }
    }

    /// <summary>
    /// Takes the one download: only the requester, only while their role may still view originals
    /// (<paramref name="mayReceiveOriginals"/>: a role reduced since the request receives no originals), only
    /// once, only when the package is ready. The download is recorded (and audited) before the first byte
    /// leaves; every refusal is audited too, and spends nothing.
    /// </summary>
    public async Task<StoredPackage> TakeDownloadAsync(Guid exportId, ExportPrincipal taker, bool mayReceiveOriginals, string clientAddress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var request = await ExportStore.LockAsync(connection, transaction, exportId, cancellationToken)
            ?? throw new ExportRefusedException(Refusal.NotFound, "There is no such export.");
        var refusal = request switch
        {
            _ when request.RequestedBy != taker.UserId => (Refusal.NotAllowed, "Only the user who requested an export may download it."),
            _ when !mayReceiveOriginals => (Refusal.NotAllowed, "The package holds byte-exact originals, and your role no longer allows viewing originals; it is released only to a requester who is a legal reviewer or a supervisor."),
            { DownloadedAt: { } at } => (Refusal.Gone, $"This package was downloaded at {Storage.Catalogue.Utc.From(at):u}; it can be downloaded once."),
            { State: not ExportState.Ready } => (Refusal.Conflict, $"The package is not ready (the request is {request.State})."),
            _ => ((Refusal, string)?)null,
        };
        if (refusal is { } refused)
        {
            await audit.AppendAsync(connection, transaction, new AuditEntry(taker.Actor, "export.download-refused", "export", exportId.ToString(), new { clientAddress, refusal = refused.Item1.ToString(), why = refused.Item2 }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw new ExportRefusedException(refused.Item1, refused.Item2);
        }

        var package = await ExportStore.PackageAsync(connection, transaction, exportId, cancellationToken)
            ?? throw new InvalidOperationException($"Export {exportId} is ready but names no package object.");
        await ExportStore.MarkDownloadedAsync(connection, transaction, exportId, time.GetUtcNow(), clientAddress, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(taker.Actor, "export.downloaded", "export", exportId.ToString(), new { clientAddress, sha256 = package.Sha256, size = package.Size }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return package;
    }

    /// <summary>A download that did not reach its end: on record, and not repeatable (a new request is needed).</summary>
    public async Task RecordIncompleteDownloadAsync(Guid exportId, ExportPrincipal taker, long bytesSent, string why, CancellationToken cancellationToken) =>
        await audit.AppendAsync(new AuditEntry(taker.Actor, "export.download-incomplete", "export", exportId.ToString(), new { bytesSent, why }), cancellationToken);

    private List<Guid> ParseIds(IReadOnlyList<string>? recordingIds)
    {
        var texts = (recordingIds ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (texts.Count == 0)
        {
            throw new ExportRefusedException(Refusal.Invalid, "Name at least one recording.", "recordings");
        }

        if (texts.Count > options.Value.MaxRecordings)
        {
            throw new ExportRefusedException(Refusal.Invalid, $"One request may name at most {options.Value.MaxRecordings} recordings.", "recordings");
        }

        var ids = new List<Guid>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (!Guid.TryParse(texts[i].Trim(), out var id))
            {
                var shown = texts[i].Length > 40 ? texts[i][..40] + "…" : texts[i];
                throw new ExportRefusedException(Refusal.Invalid, $"'{shown}' is not a recording id.", $"recordings[{i}]");
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static string Text(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ExportRefusedException(Refusal.Invalid, $"The {field} is required.", field);
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new ExportRefusedException(Refusal.Invalid, $"The {field} is at most {maxLength} characters.", field);
    }
}
