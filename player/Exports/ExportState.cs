namespace Enforcement.Media.Player.Exports;

/// <summary>The life of an export request (<c>export_requests.state</c>).</summary>
public static class ExportState
{
    /// <summary>Waiting for a supervisor's decision.</summary>
    public const string Requested = "requested";

    public const string Denied = "denied";

    /// <summary>Approved; the package is being built.</summary>
    public const string Approved = "approved";

    /// <summary>Built and locked in the evidence store; downloadable once by the requester.</summary>
    public const string Ready = "ready";

    /// <summary>Could not be built (the reason is kept); nothing was handed out.</summary>
    public const string Failed = "failed";
}
