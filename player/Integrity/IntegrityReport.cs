using Enforcement.Media.Storage.Audit;

namespace Enforcement.Media.Player.Integrity;

/// <summary>What the integrity page and its API show a supervisor; the lists are of footage the supervisor may see.</summary>
public sealed record IntegrityReport(
    FixityRunSummary? LastFixityRun,
    IReadOnlyList<FixityProblem> FixityProblems,
    IReadOnlyList<QuarantinedDelivery> Quarantined,
    AuditVerificationRecord? LastAuditVerification,
    IReadOnlyList<UndeliveredAlert> UndeliveredAlerts);
