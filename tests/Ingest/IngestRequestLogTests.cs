using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Uploads;

namespace Enforcement.Media.Tests.Ingest;

/// <summary>
/// A real <c>ingest run</c> process with <c>Logs:JsonFile</c>: each request is one event in the JSON file,
/// naming the key that made it, while the console shows what it showed before (no request lines).
/// </summary>
public sealed class IngestRequestLogTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Requests_go_to_the_json_log_with_their_key_and_not_to_the_console()
    {
        var log = new JsonLog(_folder.Combine("logs", "ingest.json"));
        var issued = await new ApiKeyStore(catalogue.DataSource, new AuditTrail(catalogue.DataSource, TimeProvider.System), TimeProvider.System)
            .CreateAsync(UniqueName.For("PHONE-"), ApiKeyKind.Device, null, "user:test", Token);
        await using var ingest = await IngestProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Catalogue"] = TestServices.PostgresConnection,
            ["Catalogue__Schema"] = catalogue.Schema,
            ["Store__Kind"] = "FileSystem",
            ["Store__FileSystem__Root"] = _folder.Combine("evidence"),
            ["Uploads__Folder"] = _folder.Combine("uploads"),
            ["Uploads__MinimumFreeBytes"] = "0",
            ["Logs__JsonFile"] = log.Path,
        });
        using var client = new HttpClient { BaseAddress = ingest.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", issued.Token);
        client.DefaultRequestHeaders.Add("Tus-Resumable", "1.0.0");

        var location = await Tus.CreateAsync(client, 1000, Tus.Metadata(("filename", "A123456_654321_20261122080000.mp4")));

        var created = await log.RequestAsync("POST", "/api/v1/uploads");
        Assert.Equal("201", JsonLog.Property(created, "StatusCode"));
        Assert.Equal($"key:{issued.Key.Name}", JsonLog.Property(created, "Actor"));
        Assert.Equal("ingest", JsonLog.Property(created, "Component"));
        Assert.Empty(log.Requests("GET", "/health")); // the start-up probes: below the Information level
        Assert.DoesNotContain(issued.Token, log.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP POST", ingest.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(location, ingest.Output, StringComparison.Ordinal);
    }
}
