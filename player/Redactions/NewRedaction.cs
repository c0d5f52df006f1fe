using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Player.Redactions;

/// <summary>
/// The body of <c>POST /api/v1/recordings/{id}/redactions</c> and <c>PUT /api/v1/redactions/{id}</c>: the reason
/// and what to hide. <see cref="Draft"/> keeps it editable instead of queuing the render.
/// </summary>
public sealed record NewRedaction(
    string? Reason,
    IReadOnlyList<RedactionRegion>? Regions,
    IReadOnlyList<TimeRange>? FullFrame,
    IReadOnlyList<AudioRedaction>? Audio,
    bool? Draft = null)
{
    public RedactionSpec Spec => new(Regions ?? [], FullFrame ?? [], Audio ?? []);
}
