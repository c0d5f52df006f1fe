namespace Enforcement.Media.Storage.Cases;

public static class CaseStatus
{
    public const string Open = "open";
    public const string Closed = "closed";
    public const string Archived = "archived";

    public static readonly IReadOnlyList<string> All = [Open, Closed, Archived];
}
