namespace Enforcement.Media.Storage.Publications;

/// <summary>One publication as the catalogue has it.</summary>
public sealed record PublicationRecord(
    Guid Id,
    Guid RedactionId,
    Guid RecordingId,
    string Title,
    string Body,
    string Watermark,
    Guid RequestedBy,
    string RequestedByActor,
    DateTimeOffset RequestedAt,
    string RenderState,
    string? RenderFailure,
    Guid? ObjectId,
    string State,
    string? DecidedByActor,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    string? Token,
    DateTimeOffset? ExpiresAt,
    string? WithdrawnByActor,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawalReason,
    long ViewCount)
{
    /// <summary>The public page's path, once published (also after withdrawal, when it answers 410).</summary>
    public string? PublicPath => Token is null ? null : $"/public/{Token}";
}
