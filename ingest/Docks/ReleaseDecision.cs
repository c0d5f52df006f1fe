namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Whether <see cref="SourceRelease"/> deleted a source, and why (or why not).
/// <paramref name="Final"/>: asking again cannot change the answer (the policy is Never, the
/// delivery is quarantined, the stored copy does not match); otherwise a later pass may release it.
/// </summary>
public sealed record ReleaseDecision(bool Deleted, string Reason, bool Final)
{
    public static ReleaseDecision KeptForGood(string reason) => new(false, reason, Final: true);

    public static ReleaseDecision KeptForNow(string reason) => new(false, reason, Final: false);
}
