namespace Enforcement.Media.Storage.Jobs;

/// <summary>The kinds of queued work that more than one feature enqueues or handles.</summary>
public static class JobKinds
{
    /// <summary>Probe a new original with ffprobe (per recording).</summary>
    public const string Probe = "probe";

    /// <summary>Link one recording to the case activities it records (per recording, once its span is known).</summary>
    public const string LinkRecording = "link-recording";

    /// <summary>Link the recordings an activity covers after it was created or changed (payload: activityId).</summary>
    public const string LinkActivity = "link-activity";

    /// <summary>Bring one recording's locks in the store up to its retention policy (per recording).</summary>
    public const string Retention = "retention";

    /// <summary>Render one redaction from its original (no recording id; payload: redactionId).</summary>
    public const string Redaction = "redaction";

    /// <summary>Burn a publication's watermark into its redacted output (no recording id; payload: publicationId).</summary>
    public const string Publication = "publication";

    /// <summary>Look for faces to offer as redaction regions (per recording; payload: runId).</summary>
    public const string Suggestions = "redaction-suggestions";

    /// <summary>Deliver one alert to the configured webhooks (no recording id; payload: alertId).</summary>
    public const string Alert = "alert";
}
