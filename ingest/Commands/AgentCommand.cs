using System.CommandLine;
using Enforcement.Media.Ingest.Agent;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest agent [--Agent:Server=... ...]</c>: the station agent on a docking-station PC, until
/// stopped. Settings come from <c>Agent__*</c> environment variables or <c>--Agent:*</c> arguments;
/// give the key through <c>Agent__Key</c> or <c>Agent:KeyFile</c>, not on the command line.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run the station agent: upload docked recorders' files to the ingest service with the station's key, write receipts beside them, and (after-verified) delete them. Needs no database or store settings.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = AgentHost.Build([.. parse.UnmatchedTokens]);
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
