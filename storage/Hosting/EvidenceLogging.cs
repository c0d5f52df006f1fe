using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Extensions.Hosting;
using Serilog.Filters;
using Serilog.Formatting.Compact;

namespace Enforcement.Media.Storage.Hosting;

public static class EvidenceLogging
{
    /// <summary>Serilog's request logging middleware writes its events under this source.</summary>
    private const string RequestSource = "Serilog.AspNetCore.RequestLoggingMiddleware";

    /// <summary>
    /// Serilog for every process, configured here once: structured events with named properties to the
    /// console (warnings and errors to stderr), and, with <c>Logs:JsonFile</c>, every event to a file as
    /// compact JSON. Levels from the <c>Serilog</c> configuration section (e.g.
    /// <c>Serilog:MinimumLevel:Default</c>). Also registers the diagnostic context the web apps' request
    /// log (<see cref="RequestLog"/>) collects a request's subject in.
    /// </summary>
    public static ILoggingBuilder AddEvidenceLogging(this ILoggingBuilder logging, IConfiguration configuration, string component)
    {
        var options = configuration.GetSection(LogOptions.Section).Get<LogOptions>() ?? new LogOptions();
        var logger = CreateLogger(configuration, component, options);
        logging.ClearProviders();
        logging.AddSerilog(logger, dispose: true);

        // Bound to this process's logger, never the static Log.Logger: the tests run many apps in one process.
        logging.Services.AddSingleton(new DiagnosticContext(logger));
        logging.Services.AddSingleton<IDiagnosticContext>(provider => provider.GetRequiredService<DiagnosticContext>());
        logging.Services.Configure<RequestLoggingOptions>(o => RequestLog.Configure(o, logger));
        return logging;
    }

    private static Serilog.Core.Logger CreateLogger(IConfiguration configuration, string component, LogOptions options)
    {
        Func<Serilog.Events.LogEvent, bool> isRequest = options.RequestsOnConsole ? _ => false : Matching.FromSource(RequestSource);
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Component", component)
            .WriteTo.Logger(console => console
                .Filter.ByExcluding(isRequest)
                .WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Component} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: Serilog.Events.LogEventLevel.Warning,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(options.JsonFile))
        {
            var path = Path.GetFullPath(options.JsonFile);
            CheckWritable(path);
            logger = logger
                .Enrich.WithProperty("ProcessId", Environment.ProcessId)
                .WriteTo.File(
                    new RenderedCompactJsonFormatter(),
                    path,
                    rollingInterval: RollingInterval.Day,
                    rollOnFileSizeLimit: true,
                    retainedFileCountLimit: null,
                    retainedFileTimeLimit: options.JsonFileRetention,
                    // ingest run and an operator's ingest command on the same host may share one file.
                    shared: true);
        }

        return logger.CreateLogger();
    }

    /// <summary>
    /// The file sink would otherwise drop every event silently when it cannot write: a folder that cannot
    /// be created or written stops start-up instead, naming the key.
    /// </summary>
    private static void CheckWritable(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(
                Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.check"),
                FileMode.Create,
                FileAccess.Write,
                FileShare.None,
                1,
                FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupCheckException($"{LogOptions.Section}:JsonFile", $"Cannot write the JSON log file in {folder}: {ex.Message}", ex);
        }
    }
}
