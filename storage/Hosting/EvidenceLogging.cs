using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Enforcement.Media.Storage.Hosting;

public static class EvidenceLogging
{
    /// <summary>
    /// Serilog for every process: structured events with named properties to the console, levels
    /// from the <c>Serilog</c> configuration section (e.g. <c>Serilog:MinimumLevel:Default</c>).
    /// </summary>
    public static ILoggingBuilder AddEvidenceLogging(this ILoggingBuilder logging, IConfiguration configuration, string component)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Component", component)
            .WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Component} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: Serilog.Events.LogEventLevel.Warning,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        logging.ClearProviders();
        logging.AddSerilog(logger, dispose: true);
        return logging;
    }
}
