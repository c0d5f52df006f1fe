using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Links;

/// <summary>A link or unlink refused as asked, nothing changed; <paramref name="field"/> names the input to fix, when there is one.</summary>
public sealed class LinkRefusedException(Refusal kind, string message, string? field = null) : RefusedException(kind, message, field)
{
    /// <summary>Unknown, disposed of and another unit's answer alike, as everywhere a recording is named.</summary>
    public static LinkRefusedException NoSuchRecording() => new(Refusal.NotFound, "There is no such recording among those you may see.");
}
