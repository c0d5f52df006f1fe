using Enforcement.Media.Storage.Catalogue;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// A <c>case_activities</c> row joined with its stage code (<c>stage_code</c>, the type as <c>type</c>), for any
/// query that reads activities. Property-mapped (not positional) because Dapper binds PostgreSQL arrays only
/// through setters.
/// </summary>
public sealed class ActivityRow
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public Guid StageId { get; set; }

    public string StageCode { get; set; } = string.Empty;

    public string ExternalId { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public DateTime StartsAt { get; set; }

    public DateTime EndsAt { get; set; }

    public string? Place { get; set; }

    public string[] Officers { get; set; } = [];

    public ActivityRecord ToRecord() => new(Id, CaseId, StageId, StageCode, ExternalId, Type, Utc.From(StartsAt), Utc.From(EndsAt), Place, Officers);
}
