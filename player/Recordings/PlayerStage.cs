namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// What the player (<c>_Player.cshtml</c>, driven by <c>player.js</c>) needs: the recording, the variants the
/// user may start a viewing of, and for classified footage the approval to pass. The recording page offers
/// renditions (and originals to the roles that may); a redaction's page offers only that redaction's output.
/// </summary>
/// <param name="Variants">The values of the variant choice, first selected: <c>rendition</c>, <c>original</c>, <c>redacted</c>.</param>
/// <param name="RedactionId">With <c>redacted</c>: the redaction whose output a viewing streams.</param>
/// <param name="Editable">The redaction editor draws over this player's picture (a canvas over it).</param>
public sealed record PlayerStage(
    Guid RecordingId,
    double? DurationSeconds,
    double? FrameRate,
    IReadOnlyList<string> Variants,
    bool NeedsApproval,
    Guid? ApprovalId,
    Guid? RedactionId = null,
    bool Editable = false);
