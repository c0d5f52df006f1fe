namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// One page of the recording search, newest start first. <paramref name="NextPage"/> is the token for the
/// page after it (passed back as <c>page</c>), null on the last page. There is no total: counting every
/// match would read every match, on a catalogue of millions, for each page.
/// </summary>
public sealed record RecordingSearchPage(IReadOnlyList<RecordingHit> Items, string? NextPage);
