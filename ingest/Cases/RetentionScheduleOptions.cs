namespace Enforcement.Media.Ingest.Cases;

/// <summary>Configuration section <c>RetentionSchedule</c>: how often the worker looks for footage whose period ended.</summary>
public sealed class RetentionScheduleOptions
{
    public const string Section = "RetentionSchedule";

    /// <summary>How often recordings past their period are added to the disposition queue.</summary>
    public TimeSpan DispositionScanInterval { get; set; } = TimeSpan.FromHours(1);
}
