namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// A link a person makes: the recording to the case, and within it to an activity (its stage with it) or a
/// stage, or neither (the case only). Ids are the catalogue's; the case number and the activity's id as the
/// case system gave it go into the audit event, which is read without the catalogue.
/// </summary>
public sealed record ManualLink(
    Guid RecordingId,
    Guid CaseId,
    string CaseNumber,
    Guid? StageId,
    string? StageCode,
    Guid? ActivityId,
    string? ActivityExternalId,
    string Actor,
    string Reason);
