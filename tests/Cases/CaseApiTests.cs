using System.Net;
using System.Net.Http.Json;
using System.Text;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Ingest.Uploads;

namespace Enforcement.Media.Tests.Cases;

/// <summary>/api/v1/cases on the real ingest web app, called with real API keys.</summary>
public sealed class CaseApiTests(UploadServerFixture ingest) : IClassFixture<UploadServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string CaseJson(string status = "open", string endsAt = "2026-11-20T10:00:00+08:00") => $$"""
        {
          "unitCode": "330100000000", "subject": "某某餐饮店", "enforcementType": "处罚",
          "status": "{{status}}", "openedAt": "2026-11-18T09:00:00+08:00", "closedAt": {{(status == "open" ? "null" : "\"2026-11-21T09:00:00+08:00\"")}},
          "flags": [],
          "activities": [
            { "externalId": "A1", "stage": "investigation", "type": "seizure",
              "startsAt": "2026-11-20T09:00:00+08:00", "endsAt": "{{endsAt}}", "place": "某路 1 号", "officers": ["123456"] }
          ]
        }
        """;

    private async Task<HttpClient> ClientAsync(ApiKeyKind kind)
    {
        var (_, token) = await ingest.CreateKeyAsync(kind);
        return ingest.Server.Client(token, tusResumable: false);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_case_system_creates_a_case_then_the_same_put_changes_nothing()
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);
        var number = $"API-{Guid.NewGuid():N}"[..16];

        var created = await client.PutAsync($"/api/v1/cases/{number}", Json(CaseJson()), Token);
        var again = await client.PutAsync($"/api/v1/cases/{number}", Json(CaseJson()), Token);
        var closed = await client.PutAsync($"/api/v1/cases/{number}", Json(CaseJson("closed")), Token);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("\"outcome\":\"unchanged\"", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"updated\"", await closed.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var read = await client.GetStringAsync($"/api/v1/cases/{number}", Token);
        Assert.Contains("\"status\":\"closed\"", read, StringComparison.Ordinal);
        Assert.Contains("\"externalId\":\"A1\"", read, StringComparison.Ordinal);
        var report = await client.GetStringAsync($"/api/v1/cases/{number}/completeness", Token);
        Assert.Contains("\"requiresFullRecording\":true", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reversed_window_is_refused_with_422_naming_the_field_and_nothing_is_written()
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);
        var number = $"API-{Guid.NewGuid():N}"[..16];

        var response = await client.PutAsync($"/api/v1/cases/{number}", Json(CaseJson(endsAt: "2026-11-20T08:00:00+08:00")), Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("activities[0].endsAt", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/cases/{number}", Token)).StatusCode);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "status": "open", "openedAt": "2026-11-18 09:00:00" }""")]
    public async Task Malformed_json_and_timestamps_without_an_offset_are_400(string body)
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);

        var response = await client.PutAsync($"/api/v1/cases/BAD-{Guid.NewGuid():N}"[..30], Json(body), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Station_and_device_keys_may_not_touch_cases_and_no_key_is_401()
    {
        var station = await ClientAsync(ApiKeyKind.Station);
        var anonymous = ingest.Server.Client(null, tusResumable: false);

        Assert.Equal(HttpStatusCode.Forbidden, (await station.PutAsync("/api/v1/cases/X-1", Json(CaseJson()), Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/cases/X-1", Token)).StatusCode);
    }

    [Fact]
    public async Task The_case_systems_key_may_not_upload_evidence()
    {
        var caseSystem = await ClientAsync(ApiKeyKind.CaseSystem);
        caseSystem.DefaultRequestHeaders.Add("Tus-Resumable", "1.0.0");
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads");
        create.Headers.Add("Upload-Length", "10");

        Assert.Equal(HttpStatusCode.Forbidden, (await caseSystem.SendAsync(create, Token)).StatusCode);
    }

    [Fact]
    public async Task A_csv_import_through_the_api_reports_bad_rows_by_line()
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);
        var number = $"CSV-{Guid.NewGuid():N}"[..16];
        var csv = $"case_number,status,opened_at\n{number},open,2026-11-18T09:00:00+08:00\nBAD-ROW,open,yesterday\n";

        var response = await client.PostAsync("/api/v1/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.Contains("\"line\":3", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/cases/{number}", Token)).StatusCode);
    }

    [Fact]
    public async Task Officers_can_be_registered_so_unknown_ones_are_warned_about()
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);
        var registered = await client.PutAsJsonAsync("/api/v1/officers", new[] { new { officerId = "123456", name = "张三", unitCode = "330100000000" } }, Token);
        var number = $"OFF-{Guid.NewGuid():N}"[..16];

        var response = await client.PutAsync($"/api/v1/cases/{number}", Json(CaseJson().Replace("[\"123456\"]", "[\"123456\", \"999999\"]", StringComparison.Ordinal)), Token);

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("999999", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_change_to_the_officer_registry_is_audited_by_the_key_that_made_it_and_a_repeat_is_not()
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);
        var officer = $"{Random.Shared.Next(100000, 999999)}";
        const string registrations = """
            SELECT seq AS n, actor, action, subject_id, details FROM audit_events
            UNION ALL SELECT id + 1000000000000, actor, action, subject_id, details FROM audit_outbox
            """;

        var first = await client.PutAsJsonAsync("/api/v1/officers", new[] { new { officerId = officer, name = "张三", unitCode = "330100000000" } }, Token);
        var same = await client.PutAsJsonAsync("/api/v1/officers", new[] { new { officerId = officer, name = "张三", unitCode = "330100000000" } }, Token);
        var moved = await client.PutAsJsonAsync("/api/v1/officers", new[] { new { officerId = officer, name = "张三", unitCode = "330200000000" } }, Token);

        Assert.All([first, same, moved], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains("\"changed\":0", await same.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(2, await ingest.ScalarAsync<long>($"SELECT count(*) FROM ({registrations}) e WHERE action = 'officer.registered' AND subject_id = @officer", new { officer }));
        var last = await ingest.ScalarAsync<string>(
            $"SELECT actor || ' ' || details FROM ({registrations}) e WHERE action = 'officer.registered' AND subject_id = @officer ORDER BY n DESC LIMIT 1", new { officer });
        Assert.StartsWith("key:", last, StringComparison.Ordinal);
        Assert.Contains("\"previousUnitCode\":\"330100000000\"", last, StringComparison.Ordinal);
        Assert.Contains("\"unitCode\":\"330200000000\"", last, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> HostileText => new()
    {
        { "PUT /api/v1/officers", """[{"officerId":"123456\u0000","name":"张三"}]""", "[0].officerId" },
        { "PUT /api/v1/officers", """[{"officerId":"123457"},{"officerId":"123458","name":"李四\u001b[2J"}]""", "[1].name" },
        { "PUT /api/v1/cases/{case}", """{"status":"open","openedAt":"2026-11-18T09:00:00+08:00","subject":"某某\u0000餐饮店"}""", "subject" },
        { "PUT /api/v1/cases/{case}", """{"status":"open","openedAt":"2026-11-18T09:00:00+08:00","activities":[{"externalId":"A1","stage":"investigation","type":"seizure","startsAt":"2026-11-20T09:00:00+08:00","endsAt":"2026-11-20T10:00:00+08:00","officers":["123456\u0000"]}]}""", "activities[0].officers[0]" },
        { "PUT /api/v1/cases/CASE%1B-1", """{"status":"open","openedAt":"2026-11-18T09:00:00+08:00"}""", "caseNumber" },
        { "GET /api/v1/cases/{case}/completeness?at=%00", "", "at" },
    };

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task A_nul_or_control_character_anywhere_in_a_request_is_a_400_naming_the_field_and_nothing_is_written(string endpoint, string json, string field)
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);
        var number = $"NUL-{Guid.NewGuid():N}"[..16];
        var before = await CountsAsync();
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Split(' ')[0]), endpoint.Split(' ')[1].Replace("{case}", number, StringComparison.Ordinal))
        {
            Content = json.Length > 0 ? Json(json) : null,
        };

        var response = await client.SendAsync(request, Token);

        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.True(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/cases/{number}", Token)).StatusCode);
    }

    [Fact]
    public async Task A_csv_row_with_a_nul_is_refused_by_line_and_column_and_the_good_rows_import()
    {
        var client = await ClientAsync(ApiKeyKind.CaseSystem);
        var good = $"CSV-{Guid.NewGuid():N}"[..16];
        var bad = $"CSV-{Guid.NewGuid():N}"[..16];
        var csv = $"case_number,status,opened_at,subject\n{good},open,2026-11-18T09:00:00+08:00,某某餐饮店\n{bad},open,2026-11-18T09:00:00+08:00,某某\0餐饮店\n";

        var response = await client.PostAsync("/api/v1/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.Contains("\"line\":3", body, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"subject\"", body, StringComparison.Ordinal);
        Assert.Contains("NUL", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/cases/{good}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/cases/{bad}", Token)).StatusCode);
    }

    /// <summary>Officers, cases and audit events on record: what a refused request must leave as it was.</summary>
    private async Task<(long Officers, long Cases, long Events)> CountsAsync() =>
        (await ingest.ScalarAsync<long>("SELECT count(*) FROM officers"),
         await ingest.ScalarAsync<long>("SELECT count(*) FROM cases"),
         await ingest.ScalarAsync<long>("SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM audit_outbox)"));
}
