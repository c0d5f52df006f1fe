using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Enforcement.Media.Storage.Telemetry;

/// <summary>
/// OpenTelemetry for the web apps: the product's own meters (every <c>Enforcement.Media.*</c> one), ASP.NET
/// Core, HttpClient (the S3 client's requests), Npgsql and the runtime; scraped by Prometheus on a listener
/// of its own (<see cref="PrometheusListener"/>) and/or pushed with traces to an OTLP collector.
/// </summary>
public static class EvidenceTelemetry
{
    /// <summary>Every meter and activity source of the product is named under this prefix.</summary>
    public const string Sources = "Enforcement.Media.*";

    public static IServiceCollection AddEvidenceTelemetry(this IServiceCollection services, IConfiguration configuration, string component)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryValidation>();
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) || !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.OtlpEndpointVariable]);
        var prometheus = options.PrometheusPort is not null;
        if (!otlp && !prometheus)
        {
            // Nothing listens: every instrument stays disabled, and recording to it is a field read.
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService($"enforcement-media-{component}"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Sources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddRuntimeInstrumentation();
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp)
            {
                metrics.AddOtlpExporter(o => Point(o, options));
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(o => Point(o, options)));
        }

        if (prometheus)
        {
            services.AddSingleton<PrometheusListener>();
            services.AddHostedService(provider => provider.GetRequiredService<PrometheusListener>());
        }

        return services;
    }

    /// <summary>Health probes and scrapes come every few seconds and say nothing about the work.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    /// <summary><c>Telemetry:OtlpEndpoint</c> when set; otherwise the exporter reads the standard <c>OTEL_EXPORTER_OTLP_*</c> variables itself.</summary>
    private static void Point(OtlpExporterOptions exporter, TelemetryOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            exporter.Endpoint = new Uri(options.OtlpEndpoint);
        }
    }

    private sealed class TelemetryValidation : IValidateOptions<TelemetryOptions>
    {
        public ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
