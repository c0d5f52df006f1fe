using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Uploads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Enforcement.Media.Tests.Telemetry;

/// <summary>
/// Traces and metrics go to an OTLP collector when one is configured (here the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> settings, over HTTP/protobuf to a stand-in collector), and nowhere otherwise.
/// </summary>
[Collection(nameof(TelemetryCollection))]
public sealed class OtlpExportTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_upload_is_traced_to_the_collector_from_request_to_archive_job()
    {
        await using var collector = await Collector.StartAsync();
        await using var server = await IngestServer.StartAsync(
            catalogue,
            _folder.Combine("uploads"),
            _folder.Combine("evidence"),
            $"OTEL_EXPORTER_OTLP_ENDPOINT={collector.Address}",
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "OTEL_BSP_SCHEDULE_DELAY=200",
            "OTEL_METRIC_EXPORT_INTERVAL=500");
        var issued = await new ApiKeyStore(catalogue.DataSource, new AuditTrail(catalogue.DataSource, TimeProvider.System), TimeProvider.System)
            .CreateAsync(UniqueName.For("PHONE-"), ApiKeyKind.Device, null, "user:test", Token);
        using var client = server.Client(issued.Token);
        var content = Bytes.Random(50_000, 43);

        var location = await Tus.CreateAsync(client, content.Length, Tus.Metadata(("filename", "A123456_654321_20261122080000.mp4")));
        using (var patch = await Tus.PatchAsync(client, location, 0, content))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        var receipt = await Tus.ReceiptAsync(client, location);

        await collector.WaitForAsync("/v1/traces", "job archive-upload", receipt.RecordingId.ToString());
        await collector.WaitForAsync("/v1/traces", "archive", "enforcement_media.recording.id");
        await collector.WaitForAsync("/v1/traces", "PATCH", $"key:{issued.Key.Name}");
        await collector.WaitForAsync("/v1/metrics", "enforcement_media.ingest.files", "enforcement_media.store.operation.duration");
        Assert.DoesNotContain(collector.Received("/v1/traces"), body => body.Contains(issued.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_is_traced()
    {
        await using var server = await IngestServer.StartAsync(catalogue, _folder.Combine("uploads-2"), _folder.Combine("evidence-2"));

        Assert.Null(server.Services.GetService<TracerProvider>());
    }

    /// <summary>A stand-in OTLP/HTTP collector: keeps each request's body (protobuf, its strings readable as UTF-8) by path.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Body)> _received = new();

        private Collector(WebApplication app) => _app = app;

        public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var collector = new Collector(builder.Build());
            collector._app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                collector._received.Enqueue((context.Request.Path, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            await collector._app.StartAsync(Token);
            return collector;
        }

        public IReadOnlyList<string> Received(string path) => [.. _received.Where(r => r.Path == path).Select(r => r.Body)];

        /// <summary>Waits until one export to <paramref name="path"/> carried every one of <paramref name="texts"/>.</summary>
        public async Task WaitForAsync(string path, params string[] texts) =>
            await Tus.EventuallyAsync(
                () => Task.FromResult(Received(path).Any(body => texts.All(t => body.Contains(t, StringComparison.Ordinal)))),
                $"an export to {path} carrying {string.Join(", ", texts)}",
                seconds: 30);

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
