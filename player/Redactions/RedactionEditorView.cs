using Enforcement.Media.Player.Recordings;

namespace Enforcement.Media.Player.Redactions;

/// <summary>
/// What the redaction editor (<c>_Editor.cshtml</c>, driven by <c>redact.js</c>) needs of a recording: its
/// kind, which decides what can be hidden (regions and whole frames in a picture, ranges in sound), and its
/// length. <see cref="Kind"/> is null for a recording that cannot be redacted: not yet examined, or unplayable.
/// </summary>
public sealed record RedactionEditorView(Guid RecordingId, string? Kind, double? DurationSeconds)
{
    public static RedactionEditorView Of(RecordingDetail recording) =>
        new(recording.Facts.Id, IsRedactable(recording.Probe) ? recording.Probe!.MediaKind : null, recording.Probe?.DurationSeconds);

    /// <summary>Regions are drawn over a picture: video or photo, probed playable.</summary>
    public static bool CanDraw(ProbeFacts? probe) => IsRedactable(probe) && probe!.MediaKind is "video" or "photo";

    private static bool IsRedactable(ProbeFacts? probe) => probe is { UnplayableReason: null, MediaKind: "video" or "audio" or "photo" };
}
