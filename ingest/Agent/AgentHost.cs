using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// Builds the station agent's process: configuration from environment variables and the command
/// line only (no appsettings.json, so the central worker's database and store settings never reach
/// it), Serilog, and the agent. A generic host: the agent serves nothing over HTTP.
/// </summary>
internal static class AgentHost
{
    /// <param name="configure">Replaces services after the agent's own (tests: a clock, a faulty network).</param>
    public static IHost Build(string[] args, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        builder.Logging.AddEvidenceLogging(builder.Configuration, "agent");
        builder.Services.AddStationAgent();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
