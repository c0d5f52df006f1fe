using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Records;

namespace Enforcement.Media.Tests.Player.Recorders;

/// <summary>
/// The recorder register in a <see cref="PlayerApp"/>: units in a tree, managers and readers with bearer
/// tokens, and deliveries from a recorder — real archived recordings, their delivery time and kind set as a
/// dock or station would have set them.
/// </summary>
public sealed class RecorderHarness(PlayerApp app)
{
    public RecordsHarness Records { get; } = new(app);

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The app's clock (the system's): handovers are dated against it.</summary>
    public static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    /// <summary>A serial no other test uses, upper case as the register keeps it (it starts with a digit, so it holds one).</summary>
    public static string NewSerial() => ("9" + Guid.NewGuid().ToString("N"))[..12].ToUpperInvariant();

    public async Task<string> UnitAsync(string? parent = null)
    {
        var code = $"R{Guid.NewGuid():N}"[..20];
        await app.Service<AdminService>().CreateUnitAsync(code, "Recorder test unit", parent, "user:test", Token);
        return code;
    }

    /// <summary>A supervisor of the unit, who keeps its register.</summary>
    public async Task<HttpClient> ManagerAsync(string unit, string role = Roles.Supervisor) => (await Records.BearerAsync([role], unit)).Client;

    /// <summary>
    /// A delivery of a new recording from the recorder <paramref name="serial"/> (as the delivery reports it),
    /// of <paramref name="kind"/>, received at <paramref name="receivedAt"/> with the clock offset the station measured.
    /// </summary>
    public async Task<Guid> DeliveryAsync(string? unit, string serial, SourceKind kind, DateTimeOffset receivedAt, int? clockOffset = null, string officer = "012345")
    {
        var delivery = new Delivery(
            kind, "station:DOCK-T", $"{serial}_{officer}_{Random.Shared.Next(100000, 999999)}.mp4", StationId: "DOCK-T",
            DeviceSerial: serial, OfficerId: officer, UnitCode: unit, RecorderClockOffsetSeconds: clockOffset);
        var archived = await app.Service<RecordingArchive>().ArchiveAsync(new MemoryStream(Bytes.Random(4096, Random.Shared.Next())), delivery, null, Token);
        await using var connection = await Records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE recording_sources SET received_at = @at WHERE id = @SourceId;
            UPDATE recordings SET ingested_at = @at WHERE id = @RecordingId;
            """,
            new { at = receivedAt.UtcDateTime, archived.SourceId, archived.RecordingId },
            cancellationToken: Token));
        return archived.RecordingId;
    }

    public static async Task<HttpResponseMessage> PutAsync(HttpClient client, string serial, string unit, string status = "in_service", string? model = "DSJ-T1", string? notes = null) =>
        await client.PutAsJsonAsync($"/api/v1/recorders/{Uri.EscapeDataString(serial)}", new { model, unit, status, notes }, Token);

    /// <summary>Registers the recorder and insists that it worked.</summary>
    public static async Task RegisterAsync(HttpClient client, string serial, string unit, string status = "in_service", string? notes = null)
    {
        var response = await PutAsync(client, serial, unit, status, notes: notes);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
    }

    public static async Task<HttpResponseMessage> AssignAsync(HttpClient client, string serial, string? officerId, DateTimeOffset? from) =>
        await client.PostAsJsonAsync($"/api/v1/recorders/{Uri.EscapeDataString(serial)}/assignments", new { officerId, from }, Token);

    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string csv) =>
        await client.PostAsync("/api/v1/recorders/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Token);

    /// <summary>The JSON at <paramref name="path"/>, insisting on 200.</summary>
    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Token);

    /// <summary>The audit events about the recorder, oldest first, chained or still in the outbox: (action, actor, details).</summary>
    public async Task<IReadOnlyList<(string Action, string Actor, string Details)>> EventsAboutAsync(string serial)
    {
        const string sql = """
            SELECT action, actor, details::text AS details, occurred_at FROM audit_events WHERE subject_type = 'recorder' AND subject_id = @serial
            UNION ALL
            SELECT action, actor, details::text, occurred_at FROM audit_outbox WHERE subject_type = 'recorder' AND subject_id = @serial
            ORDER BY occurred_at
            """;
        await using var connection = await Records.Catalogue.OpenConnectionAsync(Token);
        var rows = await connection.QueryAsync<(string Action, string Actor, string Details, DateTime OccurredAt)>(new CommandDefinition(sql, new { serial }, cancellationToken: Token));
        return [.. rows.Select(r => (r.Action, r.Actor, r.Details))];
    }
}
