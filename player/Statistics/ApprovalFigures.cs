namespace Enforcement.Media.Player.Statistics;

/// <summary>Approvals to view classified footage asked for in the period, and what became of them so far.</summary>
public sealed record ApprovalFigures(long Asked, long Granted, long Refused, long Pending)
{
    public static readonly ApprovalFigures None = new(0, 0, 0, 0);
}
