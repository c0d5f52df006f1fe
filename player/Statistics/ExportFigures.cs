namespace Enforcement.Media.Player.Statistics;

/// <summary>Export requests made in the period, and what became of them so far: approved (built or not since), denied, waiting, and downloaded.</summary>
public sealed record ExportFigures(long Requested, long Approved, long Denied, long Pending, long Downloaded)
{
    public static readonly ExportFigures None = new(0, 0, 0, 0, 0);
}
