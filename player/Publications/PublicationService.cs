using System.Security.Cryptography;
using Enforcement.Media.Player.Redactions;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Publications;
using Enforcement.Media.Storage.Redactions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Publications;

/// <summary>
/// 公示: a ready redaction is asked to be published with a title and text; its watermarked copy is
/// rendered at once; a supervisor who may see the footage, never the requester, approves (the item gets
/// an unguessable public address and an end date) or refuses, with a reason; a published item can be
/// withdrawn. Each step is an audit event (subject: the recording) committed with it.
/// </summary>
public sealed class PublicationService(
    NpgsqlDataSource dataSource,
    RedactionService redactions,
    AuditTrail audit,
    IOptions<PublicationOptions> options,
    TimeProvider time)
{
    public async Task<PublicationRecord> RequestAsync(Viewer viewer, Guid redactionId, NewPublication body, CancellationToken cancellationToken)
    {
        var title = Text(body.Title, "title", PublicationOptions.MaxTitleLength, required: true);
        var text = Text(body.Body, "body", PublicationOptions.MaxBodyLength, required: false);
        var redaction = await redactions.VisibleAsync(viewer, redactionId, cancellationToken);
        if (redaction.State != RedactionState.Ready || redaction.Output is null)
        {
            throw new RedactionRefusedException(
                Refusal.Conflict,
                redaction.State == RedactionState.Failed
                    ? $"This redaction failed to render ({redaction.Failure}); there is nothing to publish."
                    : $"This redaction is {redaction.State}, not rendered yet: only a rendered redaction can be published.");
        }

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var caseNumber = await PublicationStore.CaseNumberAsync(connection, transaction, redaction.RecordingId, cancellationToken);
        var watermark = string.Join(" · ", new[] { options.Value.Agency.Trim(), caseNumber, "公示" }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var publication = new PublicationRecord(
            Guid.CreateVersion7(now), redactionId, redaction.RecordingId, title, text, watermark, viewer.UserId, viewer.Actor, now,
            "queued", null, null, PublicationState.Requested, null, null, null, null, null, null, null, null, 0);
        await PublicationStore.InsertAsync(connection, transaction, publication, cancellationToken);
        await AuditAsync(connection, transaction, viewer.Actor, "publication.requested", publication, new { redaction = redactionId, title, watermark, redactedSha256 = redaction.Output.Sha256 }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return publication;
    }

    public async Task<PublicationRecord> DecideAsync(Viewer decider, Guid publicationId, PublicationDecision body, CancellationToken cancellationToken)
    {
        if (body.Approve is not { } approve)
        {
            throw new RedactionRefusedException(Refusal.Invalid, "approve is true or false.", "approve");
        }

        var reason = Text(body.Reason, "reason", RedactionService.MaxReasonLength, required: true);
        var days = body.Days ?? options.Value.DefaultDays;
        if (approve && (days < 1 || days > options.Value.MaxDays))
        {
            throw new RedactionRefusedException(Refusal.Invalid, $"An item is public for 1 to {options.Value.MaxDays} days.", "days");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var publication = await VisibleAsync(connection, transaction, decider, publicationId, forUpdate: true, cancellationToken);
        if (publication.RequestedBy == decider.UserId)
        {
            throw new RedactionRefusedException(Refusal.NotAllowed, "Nobody decides on their own request: another supervisor must.");
        }

        if (publication.State != PublicationState.Requested)
        {
            throw new RedactionRefusedException(Refusal.Conflict, $"This request was already decided ({publication.State}).");
        }

        if (approve && publication.RenderState != PublicationState.RenderReady)
        {
            throw new RedactionRefusedException(
                Refusal.Conflict,
                publication.RenderState == PublicationState.RenderFailed
                    ? $"The watermarked copy could not be made ({publication.RenderFailure}); nothing can be published. Refuse this request."
                    : "The watermarked copy is still being made: decide when it is ready, having watched it.");
        }

        var now = time.GetUtcNow();
        var token = approve ? NewToken() : null;
        var expiresAt = approve ? now.AddDays(days) : (DateTimeOffset?)null;
        await PublicationStore.DecideAsync(connection, transaction, publicationId, decider.UserId, decider.Actor, approve, reason, token, now, expiresAt, cancellationToken);
        await AuditAsync(
            connection, transaction, decider.Actor, approve ? "publication.approved" : "publication.refused", publication,
            new { reason, expiresAt, publicPath = token is null ? null : $"/public/{token}" }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await PublicationStore.FindAsync(connection, null, publicationId, forUpdate: false, cancellationToken))!;
    }

    public async Task<PublicationRecord> WithdrawAsync(Viewer viewer, Guid publicationId, PublicationWithdrawal body, CancellationToken cancellationToken)
    {
        var reason = Text(body.Reason, "reason", RedactionService.MaxReasonLength, required: true);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var publication = await VisibleAsync(connection, transaction, viewer, publicationId, forUpdate: true, cancellationToken);
        if (publication.State != PublicationState.Published)
        {
            throw new RedactionRefusedException(Refusal.Conflict, $"Only a published item can be withdrawn; this one is {publication.State}.");
        }

        await PublicationStore.WithdrawAsync(connection, transaction, publicationId, viewer.Actor, reason, time.GetUtcNow(), cancellationToken);
        await AuditAsync(connection, transaction, viewer.Actor, "publication.withdrawn", publication, new { reason, publication.ViewCount }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await PublicationStore.FindAsync(connection, null, publicationId, forUpdate: false, cancellationToken))!;
    }

    public async Task<PublicationRecord> ViewAsync(Viewer viewer, Guid publicationId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await VisibleAsync(connection, null, viewer, publicationId, forUpdate: false, cancellationToken);
    }

    private static async Task<PublicationRecord> VisibleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Viewer viewer, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        var publication = await PublicationStore.FindAsync(connection, transaction, id, forUpdate, cancellationToken);
        return publication is not null && await RecordingVisibility.IsVisibleAsync(connection, transaction, viewer, publication.RecordingId, cancellationToken)
            ? publication
            : throw RedactionRefusedException.NotFound("publication");
    }

    /// <summary>32 random bytes, base64url: the public address is its own secret, unguessable and unrelated to any id.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The shape every token has: anything else is answered 404 without a query.</summary>
    public static bool LooksLikeToken(string token) =>
        token.Length == 43 && token.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static string Text(string? value, string field, int maxLength, bool required)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (required && trimmed.Length == 0)
        {
            throw new RedactionRefusedException(Refusal.Invalid, $"The {field} is required.", field);
        }

        return trimmed.Length <= maxLength ? trimmed : throw new RedactionRefusedException(Refusal.Invalid, $"The {field} is at most {maxLength} characters.", field);
    }

    private Task AuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string actor, string action, PublicationRecord publication, object details, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(actor, action, "recording", publication.RecordingId.ToString(), new { publication = publication.Id, details }),
            cancellationToken);
}
