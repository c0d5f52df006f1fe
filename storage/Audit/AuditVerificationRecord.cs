namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// One verification of the catalogue's audit trail as it was recorded (<c>audit_verifications</c>): when, by
/// whom, and its verdict — where the trail first goes wrong, when it does.
/// </summary>
public sealed record AuditVerificationRecord(
    Guid Id,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Actor,
    bool Valid,
    long Events,
    long? FirstSeq,
    long? LastSeq,
    int Checkpoints,
    int Problems,
    long? FirstProblemSeq,
    string? FirstProblemKind,
    string? FirstProblem,
    IReadOnlyList<string> Notes);
