using System.CommandLine;

namespace Enforcement.Media.Ingest.Commands;

/// <summary><c>ingest &lt;command&gt;</c>: the worker itself and the operator's one-shot commands.</summary>
internal static class IngestCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Enforcement.Media ingest: docking stations, field uploads, media jobs and operator commands.")
        {
            RunCommand.Create(),
            AgentCommand.Create(),
            MigrateCommand.Create(),
            FilesCommand.Create(),
            KeysCommand.Create(),
            CasesCommand.Create(),
            RetentionCommand.Create(),
            RecordingsCommand.Create(),
            AuditCommand.Create(),
            FixityCommand.Create(),
        };

        // Exceptions reach Program's edge (clear message, exit 2); the web host handles SIGTERM itself.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }
}
