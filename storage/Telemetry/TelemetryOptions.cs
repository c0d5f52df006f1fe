using System.Net;

namespace Enforcement.Media.Storage.Telemetry;

/// <summary>
/// Configuration section <c>Telemetry</c>: where the web apps' metrics and traces go. With neither a
/// scrape port nor an OTLP endpoint nothing is collected at all.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The standard OpenTelemetry variable, honoured as well as <see cref="OtlpEndpoint"/>.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The port of the Prometheus scrape endpoint (<c>GET /metrics</c>), a listener of its own apart from
    /// the app's public one; empty means none. 0 takes any free port (tests).
    /// </summary>
    public int? PrometheusPort { get; set; }

    /// <summary>
    /// The address the scrape endpoint listens on. Loopback by default: metrics name the workload of
    /// an evidence system, so reaching them from elsewhere is a deliberate choice (<c>0.0.0.0</c> in a container).
    /// </summary>
    public string PrometheusAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// An OpenTelemetry collector (OTLP over gRPC, e.g. <c>http://collector:4317</c>) to export traces and
    /// metrics to; empty means none, unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names one.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Where the scrape endpoint listens; null when there is none.</summary>
    internal IPEndPoint? PrometheusEndpoint() =>
        PrometheusPort is { } port ? new IPEndPoint(IPAddress.Parse(PrometheusAddress), port) : null;

    internal string? Problem()
    {
        if (PrometheusPort is < 0 or > IPEndPoint.MaxPort)
        {
            return $"{Section}:PrometheusPort: {PrometheusPort} is not a TCP port (0-65535).";
        }

        if (!IPAddress.TryParse(PrometheusAddress, out _))
        {
            return $"{Section}:PrometheusAddress: '{PrometheusAddress}' is not an IP address.";
        }

        return !string.IsNullOrWhiteSpace(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _)
            ? $"{Section}:OtlpEndpoint: '{OtlpEndpoint}' is not an absolute URL."
            : null;
    }
}
