namespace Enforcement.Media.Storage.Cases;

/// <summary>A case's footage stage by stage, with what is missing (执法全过程记录).</summary>
public sealed record CompletenessReport(
    Guid CaseId,
    string CaseNumber,
    string Status,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<ActivityCompleteness> Activities,
    IReadOnlyList<RecordingSpan> UnplacedRecordings)
{
    public bool Complete => Activities.All(a => a.Complete);
}
