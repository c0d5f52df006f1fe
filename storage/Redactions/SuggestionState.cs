namespace Enforcement.Media.Storage.Redactions;

/// <summary>
/// Where a suggestion run is (<c>suggestion_runs.state</c>). Queued and running are live: the recording
/// has a suggestions job waiting or working, and a second request gets this run rather than another.
/// </summary>
public static class SuggestionState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Ready = "ready";
    public const string Failed = "failed";
}
