using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Player.Redactions;

/// <summary>A redaction as the API answers it: its state, the spec as given, the output once rendered, and every render attempt.</summary>
public sealed record RedactionView(
    Guid RedactionId,
    Guid RecordingId,
    string State,
    string Reason,
    RedactionSpec Spec,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? FinishedAt,
    string? Failure,
    RedactionOutputView? Output,
    IReadOnlyList<RenderAttemptView> Provenance)
{
    public static RedactionView Of(RedactionRecord record, IReadOnlyList<Derivation> attempts) => new(
        record.Id,
        record.RecordingId,
        record.State,
        record.Reason,
        record.Spec,
        record.CreatedByActor,
        record.CreatedAt,
        record.UpdatedAt,
        record.QueuedAt,
        record.FinishedAt,
        record.Failure,
        record.Output is { } output
            ? new RedactionOutputView(output.Sha256, output.Size, output.ContentType, output.Width, output.Height, output.DurationSeconds)
            : null,
        [.. attempts.Select(RenderAttemptView.Of)]);
}

public sealed record RedactionOutputView(string Sha256, long Size, string? ContentType, int? Width, int? Height, double? DurationSeconds);

/// <summary>One render attempt's provenance: what it was made from, with which tool and exactly which arguments.</summary>
public sealed record RenderAttemptView(
    Guid DerivationId,
    string Role,
    bool Succeeded,
    string InputSha256,
    string? OutputSha256,
    string Tool,
    string ToolVersion,
    IReadOnlyList<string> Arguments,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string? Messages)
{
    public static RenderAttemptView Of(Derivation d) => new(
        d.Id, d.Role.ToName(), d.Succeeded, d.InputSha256.Hex, d.OutputSha256?.Hex, d.Tool, d.ToolVersion, d.Arguments, d.StartedAt, d.FinishedAt, d.ErrorTail);
}
