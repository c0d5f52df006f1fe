using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player;

/// <summary>
/// Text PostgreSQL cannot store (a NUL) or that no field needs (other control characters), wherever a
/// request carries it — query string, route value, form field, JSON body — is
/// refused with a 400 problem naming the field, before anything is read, changed or audited; tabs and
/// line breaks stay welcome. And the language switch goes back only to a local URL.
/// </summary>
public sealed class HostileTextTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Queries => new()
    {
        { Roles.Reviewer, "/cases?number=%E6%B5%99%00", "number" },
        { Roles.Reviewer, "/cases?officer=123456%00", "officer" },
        { Roles.Reviewer, "/cases?device=D100001&from=2026-03-01%00", "from" },
        { Roles.Reviewer, "/cases/CASE%1B-1", "caseNumber" }, // a NUL in a path Kestrel refuses itself
        { Roles.Supervisor, "/ledger?case=%00", "case" },
        { Roles.Supervisor, "/api/v1/ledger?user=admin%00", "user" },
        { Roles.Supervisor, "/api/v1/ledger?to=2026-03-01%00", "to" },
        { Roles.Supervisor, "/api/v1/ledger.csv?case=%1B%5B2J", "case" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task A_nul_or_control_character_in_a_query_or_route_value_is_refused_naming_it(string role, string path, string field)
    {
        var viewer = await _playback.BrowserAsync([role], await _playback.Records.UnitAsync());
        var before = await _playback.Records.AllEventsAsync();

        var response = await viewer.Http.GetAsync(path, Token);

        await AssertRefusedAsync(response, field);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    public static TheoryData<string, string, string, string> Bodies => new()
    {
        { Roles.Reviewer, "POST /api/v1/recordings/{recording}/sessions", """{"reason":"复核\u0000 reviewing","variant":"rendition"}""", "reason" },
        { Roles.Reviewer, "POST /api/v1/recordings/{recording}/markers", """{"atSeconds":1.5,"note":"嫌疑人\u0000出示证件"}""", "note" },
        { Roles.Reviewer, "POST /api/v1/recordings/{recording}/view-approvals", """{"reason":"\u0000"}""", "reason" },
        { Roles.Supervisor, "PUT /api/v1/recordings/{recording}/classification", """{"classification":"normal","reason":"ok\u0000"}""", "reason" },
        { Roles.LegalReviewer, "POST /api/v1/exports", """{"recordings":["{recording}"],"reason":"移送\u0000法制审核","recipient":"court"}""", "reason" },
        { Roles.LegalReviewer, "POST /api/v1/exports", """{"recordings":["{recording}\u0000"],"reason":"移送","recipient":"court"}""", "recordings[0]" },
        { Roles.RecordsManager, "POST /api/v1/retention/recordings/{recording}/holds", """{"reason":"诉讼\u0000"}""", "reason" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_nul_in_a_json_body_is_refused_naming_the_field_and_nothing_is_written(string role, string endpoint, string json, string field)
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.BrowserAsync([role], unit);
        var before = await _playback.Records.AllEventsAsync();

        var response = await SendJsonAsync(viewer, endpoint.Replace("{recording}", footage.RecordingId.ToString(), StringComparison.Ordinal), json.Replace("{recording}", footage.RecordingId.ToString(), StringComparison.Ordinal));

        await AssertRefusedAsync(response, field);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM playback_sessions WHERE recording_id = @id", footage.RecordingId));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM recording_markers WHERE recording_id = @id", footage.RecordingId));
    }

    public static TheoryData<string, string, string, string> Forms => new()
    {
        { "anonymous", "/accounts/login", "Username=admin%00&Password=x", "Username" },
        { Roles.LegalReviewer, "/exports", "Recordings={recording}&Reason=%E7%A7%BB%E9%80%81%00&Recipient=court", "Reason" },
        { Roles.RecordsManager, "/retention/recordings/{recording}?handler=Hold", "Reason=%1B%5D0%3Bpwned%07", "Reason" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_nul_or_control_character_in_a_form_field_is_refused_naming_it(string role, string page, string form, string field)
    {
        var unit = await _playback.Records.UnitAsync();
        var (recording, _) = await _playback.Records.RecordingAsync(unit);
        var client = role == "anonymous" ? app.NewClient() : (await app.SignedInAsync([role], unit)).Client;
        var token = await PlayerApp.AntiforgeryTokenAsync(client, role == "anonymous" ? "/accounts/login" : "/");
        var before = await _playback.Records.AllEventsAsync();
        var body = $"{form.Replace("{recording}", recording.RecordingId.ToString(), StringComparison.Ordinal)}&__RequestVerificationToken={Uri.EscapeDataString(token)}";

        var response = await client.PostAsync(page.Replace("{recording}", recording.RecordingId.ToString(), StringComparison.Ordinal), new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"), Token);

        await AssertRefusedAsync(response, field);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    [Theory]
    [InlineData("\u001b[2J", "U+001B")]
    [InlineData("erased\b\b\b\b\b\b", "U+0008")]
    [InlineData("del\u007f", "U+007F")]
    [InlineData("next\u0085line", "U+0085")]
    public async Task Other_control_characters_are_refused_too(string note, string named)
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.BrowserAsync([Roles.Reviewer], unit);
        var before = await _playback.Records.AllEventsAsync();

        var response = await SendJsonAsync(viewer, $"POST /api/v1/recordings/{footage.RecordingId}/markers", JsonSerializer.Serialize(new { atSeconds = 1, note }));

        await AssertRefusedAsync(response, "note");
        Assert.Contains(named, await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    [Fact]
    public async Task Half_a_surrogate_pair_in_json_is_refused_as_malformed_naming_the_field()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.BrowserAsync([Roles.Reviewer], unit);

        var response = await SendJsonAsync(viewer, $"POST /api/v1/recordings/{footage.RecordingId}/markers", """{"atSeconds":1,"note":"half \ud83d of a pair"}""");

        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("note", out _), body);
        Assert.Empty(await viewer.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/recordings/{footage.RecordingId}/markers", Token) ?? []);
    }

    [Fact]
    public async Task Tabs_line_breaks_and_characters_beyond_the_basic_plane_are_kept()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.BrowserAsync([Roles.Reviewer], unit);
        const string note = "第一行\r\n\t第二行 𠀀 👮";

        var response = await SendJsonAsync(viewer, $"POST /api/v1/recordings/{footage.RecordingId}/markers", JsonSerializer.Serialize(new { atSeconds = 1, note }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("第二行 𠀀 👮", WebUtility.HtmlDecode(await viewer.Http.GetStringAsync($"/recordings/{footage.RecordingId}", Token)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_that_reaches_postgresql_past_the_checks_is_a_400_not_a_500()
    {
        // The user agent is a header: Kestrel refuses a NUL in one on the wire, the in-memory test server
        // does not, so it carries a NUL past every input check to the INSERT of the session.
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var before = await _playback.Records.AllEventsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/recordings/{footage.RecordingId}/sessions")
        {
            Content = new StringContent("""{"reason":"复核 reviewing"}""", Encoding.UTF8, "application/json"),
        };
        Assert.True(request.Headers.TryAddWithoutValidation("User-Agent", "agent\0smith"));

        var response = await viewer.Http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NUL", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM playback_sessions WHERE recording_id = @id", footage.RecordingId));
    }

    [Theory]
    [InlineData("/%5Cevil.example", "/")]
    [InlineData("/%5C", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("https%3A%2F%2Fevil.example%2F", "/")]
    [InlineData("/%09/evil.example", "/")]
    [InlineData("evil.example", "/")]
    [InlineData("", "/")]
    [InlineData("%2Fcases%3Fnumber%3D%E6%B5%99", "/cases?number=浙")]
    public async Task The_language_switch_returns_only_to_a_local_url(string returnUrl, string location)
    {
        var response = await app.NewClient().GetAsync($"/language/en?returnUrl={returnUrl}", Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, Uri.UnescapeDataString(response.Headers.Location!.OriginalString));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = default(JsonElement);
        Assert.True(JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out messages), body);
        Assert.Contains("character", messages[0].GetString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendJsonAsync(PlaybackHarness.Client client, string endpoint, string json)
    {
        var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("RequestVerificationToken", client.Antiforgery);
        return await client.Http.SendAsync(request, Token);
    }

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { id }, cancellationToken: Token));
    }
}
