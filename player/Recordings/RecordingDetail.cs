namespace Enforcement.Media.Player.Recordings;

/// <summary>Everything the recording page shows that is not footage: facts, probe, sources, links, custody, derivatives.</summary>
public sealed record RecordingDetail(
    RecordingFacts Facts,
    ProbeFacts? Probe,
    IReadOnlyList<RecordingSource> Sources,
    IReadOnlyList<RecordingLink> Links,
    IReadOnlyList<CustodyEvent> Custody,
    IReadOnlyList<string> Derivatives)
{
    public bool HasRendition => Derivatives.Contains("playback");
}
