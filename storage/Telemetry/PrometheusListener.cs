using Enforcement.Media.Storage.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Enforcement.Media.Storage.Telemetry;

/// <summary>
/// The Prometheus scrape endpoint, <c>GET /metrics</c>, on a Kestrel server of its own at
/// <c>Telemetry:PrometheusAddress</c>:<c>Telemetry:PrometheusPort</c>. It serves nothing else (404), and the
/// app's public listener never serves it: the two share no port, no pipeline and no endpoint.
/// </summary>
public sealed partial class PrometheusListener(MeterProvider meterProvider, IOptions<TelemetryOptions> options, ILogger<PrometheusListener> logger)
    : IHostedService, IAsyncDisposable
{
    public const string Path = "/metrics";

    private WebApplication? _server;

    /// <summary>Where it listens once started: with port 0, the port it was given.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = options.Value.PrometheusEndpoint() ?? throw new InvalidOperationException($"{TelemetryOptions.Section}:PrometheusPort is not set.");

        // An empty builder: none of the app's configuration, URLs, logging or middleware comes along.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        var server = builder.Build();

        // Scrapes are not the app's traffic: kept out of its request metrics (http.server.request.duration).
        server.Use((context, next) =>
        {
            if (context.Features.Get<IHttpMetricsTagsFeature>() is { } tags)
            {
                tags.MetricsDisabled = true;
            }

            return next(context);
        });
        server.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: null, path: Path, configureBranchedPipeline: null, optionsName: null);
        server.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await server.DisposeAsync();
            throw new StartupCheckException($"{TelemetryOptions.Section}:PrometheusPort", $"Cannot listen for Prometheus scrapes at {endpoint}: {ex.Message}", ex);
        }

        _server = server;
        Address = new Uri(server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        LogListening(Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving Prometheus scrapes at {Address} (GET /metrics), apart from the app's own listener")]
    private partial void LogListening(Uri address);
}
