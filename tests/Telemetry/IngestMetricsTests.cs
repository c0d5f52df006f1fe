using System.Net;
using Dapper;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Ingest.Uploads;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Storage.Telemetry;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Uploads;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Tests.Telemetry;

/// <summary>
/// The real ingest app on Kestrel with <c>Telemetry:PrometheusPort</c>: tus uploads move the ingest,
/// store and job metrics on the scrape listener by exactly what was archived, the queue gauge reads the
/// catalogue, and the app's own port has no metrics.
/// </summary>
[Collection(nameof(TelemetryCollection))]
public sealed class IngestMetricsTests(IngestMetricsTests.MeteredIngest ingest) : IClassFixture<IngestMetricsTests.MeteredIngest>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uploads_move_the_ingest_store_and_job_metrics_by_what_was_archived()
    {
        using var client = await ingest.DeviceAsync();
        var content = Bytes.Random(300_000, 41);
        var other = Bytes.Random(200_000, 42);
        var before = await ingest.Metrics.ScrapeAsync();

        var first = await UploadAsync(client, content, Tus.Sha256Hex(content));
        var again = await UploadAsync(client, content, null);
        var quarantined = await UploadAsync(client, other, Tus.Sha256Hex(content));

        Assert.Equal("stored", first.Outcome);
        Assert.Equal("already-held", again.Outcome);
        Assert.NotNull(quarantined.QuarantineReason);
        var after = await ingest.Metrics.ScrapeUntilAsync(s =>
            Scraper.Moved(before, s, "enforcement_media_job_duration_seconds_count", ("kind", ArchiveUploadHandler.JobKind)) >= 3);
        (string, string) upload = ("source", "upload");
        Assert.Equal(1, Scraper.Moved(before, after, "enforcement_media_ingest_files_total", ("outcome", "stored"), upload));
        Assert.Equal(1, Scraper.Moved(before, after, "enforcement_media_ingest_files_total", ("outcome", "deduplicated"), upload));
        Assert.Equal(1, Scraper.Moved(before, after, "enforcement_media_ingest_files_total", ("outcome", "quarantined"), upload));
        Assert.Equal(0, Scraper.Moved(before, after, "enforcement_media_ingest_files_total", ("outcome", "failed")));
        Assert.Equal(content.Length, Scraper.Moved(before, after, "enforcement_media_ingest_bytes_total", ("outcome", "stored"), upload));
        Assert.Equal(content.Length, Scraper.Moved(before, after, "enforcement_media_ingest_bytes_total", ("outcome", "deduplicated"), upload));
        Assert.Equal(other.Length, Scraper.Moved(before, after, "enforcement_media_ingest_bytes_total", ("outcome", "quarantined"), upload));

        // Three copies written; two new contents sealed; the duplicate discarded.
        (string, string) filesystem = ("store", "filesystem"), ok = ("outcome", "ok");
        Assert.Equal(3, Scraper.Moved(before, after, "enforcement_media_store_operation_duration_seconds_count", ("operation", "write"), filesystem, ok));
        Assert.Equal(2, Scraper.Moved(before, after, "enforcement_media_store_operation_duration_seconds_count", ("operation", "seal"), filesystem, ok));
        Assert.Equal(1, Scraper.Moved(before, after, "enforcement_media_store_operation_duration_seconds_count", ("operation", "discard"), filesystem, ok));
        Assert.Equal(3, Scraper.Moved(before, after, "enforcement_media_job_duration_seconds_count", ("kind", ArchiveUploadHandler.JobKind), ("outcome", "succeeded")));

        foreach (var receipt in new[] { first, again, quarantined })
        {
            Assert.DoesNotContain(receipt.RecordingId.ToString(), after.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(receipt.Sha256, after.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_queue_gauge_counts_the_catalogues_live_jobs_by_kind_and_state()
    {
        const string Kind = "telemetry-test";
        await using (var connection = await ingest.Catalogue.DataSource.OpenConnectionAsync(Token))
        {
            // No handler takes this kind, and the first is not due for an hour: both stay queued.
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO jobs (kind, run_after) VALUES (@Kind, now()), (@Kind, now() + interval '1 hour')", new { Kind }, cancellationToken: Token));
        }

        var scrape = await ingest.Metrics.ScrapeUntilAsync(s => s.Sum("enforcement_media_job_queue_size", ("kind", Kind), ("state", "queued")) == 2);

        Assert.Equal(2, scrape.Sum("enforcement_media_job_queue_size", ("kind", Kind), ("state", "queued")));
        Assert.Equal(0, scrape.Sum("enforcement_media_job_queue_size", ("kind", Kind), ("state", "running")));

        // A kind this process handles is reported even while none of it waits.
        Assert.Single(scrape.Matching("enforcement_media_job_queue_size", ("kind", ArchiveUploadHandler.JobKind), ("state", "running")));
    }

    [Fact]
    public async Task The_public_port_serves_no_metrics()
    {
        using var client = new HttpClient { BaseAddress = ingest.Server.BaseAddress };

        using var response = await client.GetAsync("/metrics", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.NotEqual(ingest.Server.BaseAddress.Port, ingest.Metrics.Endpoint.Port);
    }

    private static async Task<Receipt> UploadAsync(HttpClient client, byte[] content, string? claimedSha256)
    {
        var metadata = claimedSha256 is null
            ? Tus.Metadata(("filename", "A123456_654321_20261122080000.mp4"))
            : Tus.Metadata(("filename", "A123456_654321_20261122080000.mp4"), ("sha256", claimedSha256));
        var location = await Tus.CreateAsync(client, content.Length, metadata);
        using (var patch = await Tus.PatchAsync(client, location, 0, content))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        return await Tus.ReceiptAsync(client, location);
    }

    /// <summary>The ingest app (as <c>ingest run</c> builds it) with its scrape listener on a free loopback port.</summary>
    public sealed class MeteredIngest : IAsyncLifetime
    {
        private readonly TempFolder _folder = new();

        public CatalogueFixture Catalogue { get; } = new();

        public IngestServer Server { get; private set; } = null!;

        public Scraper Metrics => new(Server.Services.GetRequiredService<PrometheusListener>());

        public async Task<HttpClient> DeviceAsync()
        {
            var issued = await new ApiKeyStore(Catalogue.DataSource, new AuditTrail(Catalogue.DataSource, TimeProvider.System), TimeProvider.System)
                .CreateAsync(UniqueName.For("PHONE-"), ApiKeyKind.Device, null, "user:test", Token);
            return Server.Client(issued.Token);
        }

        public async ValueTask InitializeAsync()
        {
            await Catalogue.InitializeAsync();
            Server = await IngestServer.StartAsync(
                Catalogue, _folder.Combine("uploads"), _folder.Combine("evidence"), "Telemetry:PrometheusPort=0", "Jobs:QueueSampleInterval=00:00:00.200");
        }

        public async ValueTask DisposeAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }

            await Catalogue.DisposeAsync();
            _folder.Dispose();
        }
    }
}
