namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// What the archive said about a receipt. <paramref name="Final"/> (when not confirmed): asking
/// again cannot change the answer, so the source is kept for good.
/// </summary>
public sealed record Confirmation(bool Confirmed, string Reason, bool Final)
{
    public static Confirmation Held(string reason) => new(true, reason, Final: true);

    public static Confirmation Refused(string reason) => new(false, reason, Final: true);
}
