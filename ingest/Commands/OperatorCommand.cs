using System.CommandLine;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Startup;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>What every operator command shares: who is acting, and a started storage layer.</summary>
internal static class OperatorCommand
{
    public static Option<string> ActorOption() => new("--actor")
    {
        Description = "Who is acting, for the audit trail (default: user:<OS user>).",
        DefaultValueFactory = _ => $"user:{Environment.UserName}",
    };

    /// <summary>Builds the ingest application without running it, with the catalogue migrated and the store checked.</summary>
    public static async Task<WebApplication> StartAsync(CancellationToken cancellationToken)
    {
        var app = IngestHost.Build(["--Serilog:MinimumLevel:Default=Warning"]);
        try
        {
            await app.Services.GetRequiredService<StorageStartup>().StartAsync(cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
