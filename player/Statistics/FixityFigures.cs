namespace Enforcement.Media.Player.Statistics;

/// <summary>Fixity findings in the period: re-reads of an original that did not verify, by what they found.</summary>
public sealed record FixityFigures(long Findings, long Mismatch, long Missing, long Unreadable)
{
    public static readonly FixityFigures None = new(0, 0, 0, 0);
}
