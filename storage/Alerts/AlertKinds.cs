namespace Enforcement.Media.Storage.Alerts;

/// <summary>The findings that raise an alert (<c>alerts.kind</c>, the <c>type</c> a webhook receives).</summary>
public static class AlertKinds
{
    /// <summary>A stored original no longer hashes to what was recorded when it was stored.</summary>
    public const string FixityMismatch = "fixity.mismatch";

    /// <summary>A stored original is gone from the evidence store.</summary>
    public const string FixityMissing = "fixity.missing";

    /// <summary>A delivery whose source's own hash did not match what arrived (stored anyway, quarantined).</summary>
    public const string Quarantined = "recording.quarantined";

    /// <summary>The audit trail did not verify: the first bad sequence number and why.</summary>
    public const string AuditVerifyFailed = "audit.verify-failed";

    /// <summary>A recorder docked (dock or station delivery) whose serial is not in the recorder register.</summary>
    public const string UnregisteredRecorder = "recorder.unregistered";

    public static readonly IReadOnlyList<string> All = [FixityMismatch, FixityMissing, Quarantined, AuditVerifyFailed, UnregisteredRecorder];
}
