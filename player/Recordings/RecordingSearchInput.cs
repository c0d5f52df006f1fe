namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// The recording search as typed: the query string of <c>GET /api/v1/recordings</c> and of the
/// <c>/recordings</c> page, before <see cref="RecordingFilter.Parse"/> reads it. Blank means "any".
/// </summary>
public sealed record RecordingSearchInput(
    string? Officer = null,
    string? Recorder = null,
    string? Unit = null,
    string? From = null,
    string? To = null,
    string? Linked = null,
    string? State = null,
    string? Q = null,
    string? Page = null,
    string? PageSize = null,
    string? Subunits = null,
    string? StartSource = null,
    string? DelayOver = null);
