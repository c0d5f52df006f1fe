using System.CommandLine;
using Enforcement.Media.Ingest.Hosting;

namespace Enforcement.Media.Ingest.Commands;

/// <summary><c>ingest run [--urls ...]</c>: the long-running worker with its HTTP API.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the ingest worker and its HTTP API until stopped. Host options such as --urls pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, _) =>
        {
            await using var app = IngestHost.Build([.. parse.UnmatchedTokens]);
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
