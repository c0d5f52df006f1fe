namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// One branch of the filter graph: a region over a stretch of time (<see cref="From"/>–<see cref="To"/>,
/// seconds; <see cref="To"/> may be infinite), covered by a box of one size in pixels whose top-left
/// corner follows <see cref="Keys"/>. <see cref="Ellipse"/> is false for an ellipse whose box meets the
/// frame's edge, which is then covered whole (see <see cref="RegionCover"/>).
/// </summary>
public sealed record RegionRun(double From, double To, int Width, int Height, IReadOnlyList<RunKey> Keys, bool Ellipse);

/// <summary>Where the box's top-left corner is at time <see cref="T"/>, in pixels, before it is kept inside the frame.</summary>
public sealed record RunKey(double T, double Left, double Top);
