using System.CommandLine;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest audit verify|export|checkpoint|public-key|keygen</c>: the operator's and the auditor's
/// tools for the hash-chained audit trail (README, "Audit trail").
/// </summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Verify, export and anchor the hash-chained audit trail.")
    {
        AuditVerifyCommand.Create(),
        AuditExportCommand.Create(),
        AuditKeyCommands.Checkpoint(),
        AuditKeyCommands.PublicKey(),
        AuditKeyCommands.Keygen(),
    };
}
