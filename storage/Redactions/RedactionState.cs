namespace Enforcement.Media.Storage.Redactions;

/// <summary>Where a redaction is (<c>redactions.state</c>): a draft is editable; from <see cref="Queued"/> on its spec is frozen.</summary>
public static class RedactionState
{
    public const string Draft = "draft";
    public const string Queued = "queued";
    public const string Rendering = "rendering";
    public const string Ready = "ready";
    public const string Failed = "failed";
}
