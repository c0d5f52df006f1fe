using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;
using Serilog.Extensions.Hosting;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// One log event per HTTP request (Serilog's request logging middleware): method, path, status and
/// time, with who asked, the recording and the viewing session where the request had them
/// (<see cref="RequestSubject"/>), and the client's address. Never the query string, headers, cookies or
/// bodies, which carry tokens, passwords and keys.
/// </summary>
public static class RequestLog
{
    /// <summary>Outermost but for the forwarded headers (<see cref="WebEdge"/>): it sees every answer, the exception handler's 500s included.</summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app) =>
        app.ApplicationServices.GetService<DiagnosticContext>() is null ? app : app.UseSerilogRequestLogging();

    internal static void Configure(RequestLoggingOptions options, ILogger logger)
    {
        options.Logger = logger;
        options.MessageTemplate = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0000} ms";
        options.IncludeQueryInRequestPath = false;
        options.GetLevel = Level;
        options.EnrichDiagnosticContext = Enrich;
    }

    private static LogEventLevel Level(HttpContext context, double elapsedMs, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug // probed every few seconds
        : LogEventLevel.Information;

    private static void Enrich(IDiagnosticContext diagnostics, HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } address)
        {
            diagnostics.Set("ClientAddress", address.ToString());
        }

        // The routes that name them; services add what they find out (a session's recording, say).
        if (RouteGuid(context, "recordingId") is { } recordingId)
        {
            context.SetRecording(recordingId);
        }

        if (RouteGuid(context, "sessionId") is { } sessionId)
        {
            context.SetSession(sessionId);
        }
    }

    private static Guid? RouteGuid(HttpContext context, string name) =>
        context.Request.RouteValues.TryGetValue(name, out var value) && Guid.TryParse(value as string, out var id) ? id : null;
}
