namespace Enforcement.Media.Storage.Alerts;

/// <summary>How delivering one alert to one webhook went so far: <c>trying</c>, <c>delivered</c> or <c>failed</c>.</summary>
public sealed record AlertDelivery(string Webhook, string State, int Attempts, int? LastStatus, string? LastError, DateTimeOffset UpdatedAt)
{
    public const string Trying = "trying";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>Delivered or given up: never sent to this webhook again.</summary>
    public bool IsSettled => State is Delivered or Failed;
}
