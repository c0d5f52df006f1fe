namespace Enforcement.Media.Player.Approvals;

/// <summary><c>view_approvals.state</c>.</summary>
public static class ApprovalState
{
    public const string Requested = "requested";
    public const string Approved = "approved";
    public const string Denied = "denied";
}
