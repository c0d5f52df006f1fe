namespace Enforcement.Media.Storage.Recorders;

/// <summary>Where a recorder is (<c>recorders.status</c>): only one in service is handed to an officer.</summary>
public static class RecorderStatus
{
    public const string InService = "in_service";

    public const string Repair = "repair";

    public const string Retired = "retired";

    public const string Lost = "lost";

    public static readonly IReadOnlyList<string> All = [InService, Repair, Retired, Lost];

    /// <summary>Out of use for good: setting it ends the officer's period with the recorder.</summary>
    public static bool EndsUse(string status) => status is Retired or Lost;
}
