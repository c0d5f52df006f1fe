using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Ingest.Alerts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Fixity;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Alerts;

/// <summary>
/// Alerts through the ingest app as it ships, to real receivers on loopback: signed as documented, retried with
/// the same event until acknowledged once, given up and audited when a receiver never answers, kept across a
/// restart, refused at start-up when a webhook could not be trusted, and raised by each of the four findings.
/// </summary>
public sealed class WebhookAlertTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_quarantine_posts_a_signed_event_that_the_receiver_verifies_as_the_readme_says()
    {
        using var receiver = new WebhookReceiver(_ => 200);
        await using var world = await AlertWorld.StartAsync(AlertWorld.Webhook(receiver));
        var quarantined = await QuarantinedAsync(world);

        await world.DrainAlertsAsync(Token);

        var request = Assert.Single(receiver.Received);
        Assert.Equal(("POST", "/alerts"), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        AssertSigned(request);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(request.Headers[WebhookSender.EventIdHeader], root.GetProperty("id").GetString());
        Assert.Equal(("recording.quarantined", "recording.quarantined"), (root.GetProperty("type").GetString(), request.Headers[WebhookSender.EventTypeHeader]));
        Assert.Equal(("recording", quarantined.RecordingId.ToString()), (root.GetProperty("subject").GetProperty("type").GetString(), root.GetProperty("subject").GetProperty("id").GetString()));
        Assert.Matches(@"(Z|[+-]\d\d:\d\d)$", root.GetProperty("occurredAt").GetString()!);
        Assert.Equal(quarantined.Sha256.Hex, root.GetProperty("details").GetProperty("sha256").GetString());
        Assert.Equal([("alert.delivered", "soc", 1)], Delivered(await world.AlertEventsAsync(Token)));
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_same_event_three_times_and_acknowledges_it_once()
    {
        using var receiver = new WebhookReceiver(n => n switch { 1 => 500, 2 => 503, _ => 200 });
        await using var world = await AlertWorld.StartAsync(AlertWorld.Webhook(receiver));
        await QuarantinedAsync(world);

        await world.DrainAlertsAsync(Token);

        Assert.Equal(3, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Headers[WebhookSender.EventIdHeader]).Distinct());
        Assert.Single(receiver.Received.Select(r => Convert.ToHexString(r.Body)).Distinct());
        Assert.All(receiver.Received, AssertSigned);
        var events = await world.AlertEventsAsync(Token);
        Assert.Equal([("alert.delivered", "soc", 3)], Delivered(events));
        Assert.DoesNotContain(events, e => e.Action == "alert.failed");
        await using var connection = await world.Catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(("delivered", 3, 200), await connection.QuerySingleAsync<(string, int, int)>("SELECT state, attempts, last_status FROM alert_deliveries"));
        Assert.Equal("succeeded", await connection.ExecuteScalarAsync<string>("SELECT state FROM jobs WHERE kind = 'alert'"));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_ends_as_an_audited_failure_after_its_attempts()
    {
        using var receiver = new WebhookReceiver(_ => WebhookReceiver.Silent);
        await using var world = await AlertWorld.StartAsync(AlertWorld.Webhook(receiver, maxAttempts: 2, timeout: "00:00:00.5"));
        await QuarantinedAsync(world);

        await world.DrainAlertsAsync(Token);

        Assert.Equal(2, receiver.Received.Count);
        var failed = Assert.Single(await world.AlertEventsAsync(Token));
        Assert.Equal("alert.failed", failed.Action);
        using var details = JsonDocument.Parse(failed.Details);
        Assert.Equal(("soc", 2), (details.RootElement.GetProperty("webhook").GetString(), details.RootElement.GetProperty("attempts").GetInt32()));
        Assert.Contains("no answer", details.RootElement.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        await using var connection = await world.Catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(("failed", 2), await connection.QuerySingleAsync<(string, int)>("SELECT state, attempts FROM alert_deliveries"));
    }

    [Fact]
    public async Task An_alert_raised_while_the_receiver_is_down_survives_a_restart_and_is_delivered_by_the_next_process()
    {
        var catalogue = new CatalogueFixture();
        await catalogue.InitializeAsync();
        using var store = new TempFolder();
        int downPort;
        using (var gone = new WebhookReceiver(_ => 200))
        {
            downPort = gone.Port; // nothing listens there once it is disposed
        }

        Guid raised;
        await using (var first = await AlertWorld.StartAsync(new Dictionary<string, string>
        {
            ["Alerts:Webhooks:0:Name"] = "soc",
            ["Alerts:Webhooks:0:Url"] = $"http://127.0.0.1:{downPort}/alerts",
            ["Alerts:Webhooks:0:Secret"] = AlertWorld.Secret,
        }, catalogue, store))
        {
            await QuarantinedAsync(first);
            var byKind = new Dictionary<string, IJobHandler> { [JobKinds.Alert] = first.Service<AlertJobHandler>() };
            Assert.True(await first.Service<JobWorker>().RunOnceAsync(byKind, Token)); // refused: queued again
            await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
            raised = await connection.ExecuteScalarAsync<Guid>("SELECT id FROM alerts");
            Assert.Equal(("trying", 1), await connection.QuerySingleAsync<(string, int)>("SELECT state, attempts FROM alert_deliveries"));
        }

        using var receiver = new WebhookReceiver(_ => 200);
        await using var next = AlertWorld.Build(catalogue, store, AlertWorld.Webhook(receiver));
        var handler = next.Services.GetRequiredService<AlertJobHandler>();
        var worker = next.Services.GetRequiredService<JobWorker>();
        while (receiver.Received.Count == 0)
        {
            if (!await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [JobKinds.Alert] = handler }, Token))
            {
                await Task.Delay(50, Token);
            }
        }

        Assert.Equal(raised.ToString(), Assert.Single(receiver.Received).Headers[WebhookSender.EventIdHeader]);
        await catalogue.DisposeAsync();
    }

    [Theory]
    [InlineData("Url", "http://192.0.2.10/alerts", "Alerts:Webhooks:0:Url must be https")]
    [InlineData("Url", "alerts.example/hook", "Alerts:Webhooks:0:Url must be an absolute https URL")]
    [InlineData("Url", "https://someone:pa55word@alerts.example/hook", "Alerts:Webhooks:0:Url must not carry a user name or password")]
    [InlineData("Secret", "too-short", "Alerts:Webhooks:0:Secret is required, at least 32 characters")]
    [InlineData("Secret", "", "Alerts:Webhooks:0:Secret is required")]
    [InlineData("Name", "", "Alerts:Webhooks:0:Name is required")]
    public async Task A_webhook_that_could_not_be_trusted_stops_start_up_naming_the_key_and_never_its_secret(string key, string value, string message)
    {
        using var store = new TempFolder();
        var settings = new Dictionary<string, string>
        {
            ["Alerts:Webhooks:0:Name"] = "soc",
            ["Alerts:Webhooks:0:Url"] = "https://alerts.example/hook",
            ["Alerts:Webhooks:0:Secret"] = AlertWorld.Secret,
            [$"Alerts:Webhooks:0:{key}"] = value,
        };
        var catalogue = new CatalogueFixture();
        await using var app = AlertWorld.Build(catalogue, store, settings);

        var invalid = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(Token));

        Assert.Contains(invalid.Failures, f => f.Contains(message, StringComparison.Ordinal));
        Assert.DoesNotContain(AlertWorld.Secret, invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://alerts.example/hook")]
    [InlineData("http://127.0.0.1:9999/hook")]
    [InlineData("http://localhost:9999/hook")]
    [InlineData("http://[::1]:9999/hook")]
    public async Task Https_anywhere_and_plain_http_to_loopback_are_accepted(string url)
    {
        using var store = new TempFolder();
        var catalogue = new CatalogueFixture();
        await using var app = AlertWorld.Build(catalogue, store, new Dictionary<string, string>
        {
            ["Alerts:Webhooks:0:Name"] = "soc",
            ["Alerts:Webhooks:0:Url"] = url,
            ["Alerts:Webhooks:0:Secret"] = AlertWorld.Secret,
        });

        Assert.Equal(url, Assert.Single(app.Services.GetRequiredService<IOptions<AlertOptions>>().Value.Webhooks).Url);
    }

    [Fact]
    public async Task Each_of_the_four_findings_raises_its_event_and_an_unregistered_recorder_once_a_day()
    {
        using var receiver = new WebhookReceiver(_ => 204);
        await using var world = await AlertWorld.StartAsync(AlertWorld.Webhook(receiver));
        var archive = world.Service<RecordingArchive>();
        await using (var connection = await world.Catalogue.DataSource.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync("""
                INSERT INTO units (code, name, created_at) VALUES ('A100', 'Alert test unit', now());
                INSERT INTO recorders (serial, unit_code, status, created_at, created_by, updated_at, updated_by)
                VALUES ('R100001', 'A100', 'in_service', now(), 'user:test', now(), 'user:test');
                """);
        }

        // An unregistered recorder docks twice (one alert), a registered one docks, an operator ingests a file
        // naming an unregistered serial (no docking: no alert).
        await Archive(archive, new Delivery(SourceKind.Dock, "station:DOCK-1", "u1.mp4", StationId: "DOCK-1", DeviceSerial: " u900001 "));
        await Archive(archive, new Delivery(SourceKind.Station, "station:DOCK-1", "u2.mp4", StationId: "DOCK-1", DeviceSerial: "U900001"));
        await Archive(archive, new Delivery(SourceKind.Dock, "station:DOCK-1", "r1.mp4", StationId: "DOCK-1", DeviceSerial: "r100001"));
        await Archive(archive, new Delivery(SourceKind.Command, "user:test", "c1.mp4", DeviceSerial: "U900002"));
        var quarantined = await QuarantinedAsync(world);
        var altered = await Archive(archive, ArchiveHarness.Delivery("altered.mp4"));
        var deleted = await Archive(archive, ArchiveHarness.Delivery("deleted.mp4"));
        await AlterOneByteAsync(Path.Combine(world.StoreRoot, "objects", altered.Location.Key));
        File.Delete(Path.Combine(world.StoreRoot, "objects", deleted.Location.Key));
        await world.Service<FixityChecker>().RunAsync(FixityScope.All, Token);
        var broken = new AuditVerification(1, 40, 40, [], [new AuditProblem(17, AuditProblemKind.HashMismatch, "the fields do not hash to the stored hash")], []);
        var verification = await world.Service<AuditVerificationStore>().RecordAsync(broken, "user:test", TimeProvider.System.GetUtcNow(), Token);

        await world.DrainAlertsAsync(Token);

        var received = receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(
            ["audit.verify-failed", "fixity.mismatch", "fixity.missing", "recorder.unregistered", "recording.quarantined"],
            received.Select(r => r.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        string SubjectOf(string type) => received.Single(r => r.GetProperty("type").GetString() == type).GetProperty("subject").GetProperty("id").GetString()!;
        Assert.Equal("U900001", SubjectOf("recorder.unregistered"));
        Assert.Equal(quarantined.RecordingId.ToString(), SubjectOf("recording.quarantined"));
        Assert.Equal(altered.RecordingId.ToString(), SubjectOf("fixity.mismatch"));
        Assert.Equal(deleted.RecordingId.ToString(), SubjectOf("fixity.missing"));
        Assert.Equal(verification.ToString(), SubjectOf("audit.verify-failed"));
        Assert.Contains("17", received.Single(r => r.GetProperty("type").GetString() == "audit.verify-failed").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.All(receiver.Received, AssertSigned);
    }

    /// <summary>Checks a request's signature the way the README tells a receiver to, independently of the sender's code.</summary>
    private static void AssertSigned(ReceivedWebhook request)
    {
        var parts = request.Headers["X-EM-Signature"].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var timestamp = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        var signed = Encoding.ASCII.GetBytes($"{parts["t"]}.").Concat(request.Body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AlertWorld.Secret), signed));
        Assert.True(CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["v1"])), "the signature does not verify");
        Assert.InRange(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - timestamp, -300, 300);
    }

    private static IReadOnlyList<(string Action, string Webhook, int Attempts)> Delivered(IEnumerable<(string Action, string Details)> events) =>
        [.. events.Where(e => e.Action == "alert.delivered").Select(e =>
        {
            using var details = JsonDocument.Parse(e.Details);
            return (e.Action, details.RootElement.GetProperty("webhook").GetString()!, details.RootElement.GetProperty("attempts").GetInt32());
        })];

    private static async Task<ArchivedRecording> QuarantinedAsync(AlertWorld world) =>
        await Archive(world.Service<RecordingArchive>(), ArchiveHarness.Delivery($"q{Guid.NewGuid():N}.mp4", claimedSha256: new string('0', 64)));

    private static async Task<ArchivedRecording> Archive(RecordingArchive archive, Delivery delivery) =>
        await archive.ArchiveAsync(new MemoryStream(Bytes.Random(4096, Random.Shared.Next())), delivery, null, Token);

    private static async Task AlterOneByteAsync(string path)
    {
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(path, Token);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, Token);
        File.SetUnixFileMode(path, mode);
    }
}
