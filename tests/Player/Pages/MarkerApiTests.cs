using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Markers;
using Enforcement.Media.Tests.Infrastructure;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Pages;

/// <summary>
/// Markers: saved, listed in order, audited on the recording's chain of custody; refused by
/// name for bad input, refused for users who may not see the recording, for roles that do not watch,
/// without the antiforgery token, and for ids that are not recordings. A refusal writes nothing.
/// </summary>
public sealed class MarkerApiTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly ReviewWorld _world = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_marker_is_saved_listed_by_position_and_audited_on_its_recording()
    {
        var (client, token, recording, user) = await BrowserAsync(Roles.Reviewer);

        var late = await PostAsync(client, token, recording, new { atSeconds = 42.5, note = "  嫌疑人出示证件  " });
        var early = await PostAsync(client, token, recording, new { atSeconds = 3.25, note = "officer states the reason" });

        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        Assert.Equal(HttpStatusCode.Created, early.StatusCode);
        var saved = await late.Content.ReadFromJsonAsync<Marker>(Token);
        Assert.Equal("嫌疑人出示证件", saved!.Note);
        Assert.Equal($"user:{user}", saved.CreatedBy);
        var listed = await client.GetFromJsonAsync<List<Marker>>($"/api/v1/recordings/{recording}/markers", Token);
        Assert.Equal([3.25, 42.5], listed!.Select(m => m.AtSeconds));
        var events = await MarkerEventsAsync(recording);
        Assert.Equal(2, events.Count);
        var audited = events.Select(e => JsonDocument.Parse(e).RootElement).Single(e => e.GetProperty("markerId").GetString() == saved.Id.ToString());
        Assert.Equal("嫌疑人出示证件", audited.GetProperty("note").GetString());
        Assert.Equal(42.5, audited.GetProperty("atSeconds").GetDouble());
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/recordings/{recording}", Token));
        Assert.Contains("嫌疑人出示证件", page, StringComparison.Ordinal);
        Assert.Contains("data-at=\"42.5\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"atSeconds\":1,\"note\":\"\"}", "note")]
    [InlineData("{\"atSeconds\":1,\"note\":\"   \\t\\n \"}", "note")]
    [InlineData("{\"atSeconds\":1}", "note")]
    [InlineData("{\"atSeconds\":1,\"note\":null}", "note")]
    [InlineData("{\"note\":\"no position\"}", "atSeconds")]
    [InlineData("{\"atSeconds\":-0.5,\"note\":\"before the start\"}", "atSeconds")]
    public async Task A_marker_with_a_missing_or_blank_field_is_refused_by_name_and_nothing_is_written(string json, string field)
    {
        var (client, token, recording, _) = await BrowserAsync(Roles.LegalReviewer);
        var before = await _world.Records.AllEventsAsync();

        var response = await SendAsync(client, token, recording, json);

        await AssertRefusedForAsync(response, field);
        Assert.Equal(before, await _world.Records.AllEventsAsync());
        Assert.Empty((await client.GetFromJsonAsync<List<Marker>>($"/api/v1/recordings/{recording}/markers", Token))!);
    }

    [Fact]
    public async Task A_huge_note_is_refused_and_one_at_the_limit_is_kept()
    {
        var (client, token, recording, _) = await BrowserAsync(Roles.Supervisor);

        var huge = await PostAsync(client, token, recording, new { atSeconds = 1, note = new string('证', 1_000_000) });
        var over = await PostAsync(client, token, recording, new { atSeconds = 1, note = new string('x', MarkerService.MaxNoteLength + 1) });
        var atLimit = await PostAsync(client, token, recording, new { atSeconds = 1, note = new string('x', MarkerService.MaxNoteLength) });

        await AssertRefusedForAsync(huge, "note");
        await AssertRefusedForAsync(over, "note");
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_refused()
    {
        var (client, token, recording, _) = await BrowserAsync(Roles.Reviewer);

        var response = await SendAsync(client, token, recording, "{\"atSeconds\": \"soon\", \"note\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<List<Marker>>($"/api/v1/recordings/{recording}/markers", Token))!);
    }

    [Fact]
    public async Task Another_units_recording_is_not_found_for_listing_or_marking_and_nothing_is_written()
    {
        var (_, _, recording, _) = await BrowserAsync(Roles.Reviewer);
        var (stranger, _) = await app.SignedInAsync([Roles.Supervisor], await _world.Records.UnitAsync());
        var token = await PlayerApp.AntiforgeryTokenAsync(stranger, "/");
        var before = await _world.Records.AllEventsAsync();

        var list = await stranger.GetAsync($"/api/v1/recordings/{recording}/markers", Token);
        var add = await PostAsync(stranger, token, recording, new { atSeconds = 1, note = "not mine to mark" });

        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
        Assert.Equal(before, await _world.Records.AllEventsAsync());
    }

    [Theory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData(Roles.Admin, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(Roles.RecordsManager, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Reviewer, HttpStatusCode.OK, HttpStatusCode.Created)]
    [InlineData(Roles.LegalReviewer, HttpStatusCode.OK, HttpStatusCode.Created)]
    [InlineData(Roles.Supervisor, HttpStatusCode.OK, HttpStatusCode.Created)]
    public async Task Each_role_lists_and_adds_markers_as_its_policy_says(string role, HttpStatusCode list, HttpStatusCode add)
    {
        var unit = await _world.Records.UnitAsync();
        var recording = await _world.FootageAsync(unit, ReviewWorld.Officer(), "D600001", ReviewWorld.Morning, 60);
        var client = role == "anonymous" ? app.NewClient() : (await app.SignedInAsync([role], unit)).Client;
        var token = await PlayerApp.AntiforgeryTokenAsync(client, role == "anonymous" ? "/accounts/login" : "/");
        var before = await _world.Records.AllEventsAsync();

        Assert.Equal(list, (await client.GetAsync($"/api/v1/recordings/{recording}/markers", Token)).StatusCode);
        Assert.Equal(add, (await PostAsync(client, token, recording, new { atSeconds = 1, note = "a moment" })).StatusCode);
        Assert.Equal(before + (add == HttpStatusCode.Created ? 1 : 0), await _world.Records.AllEventsAsync());

        if (role != "anonymous")
        {
            var (bearer, _) = await _world.Records.BearerAsync([role], unit);
            Assert.Equal(list, (await bearer.GetAsync($"/api/v1/recordings/{recording}/markers", Token)).StatusCode);
            Assert.Equal(add, (await bearer.PostAsJsonAsync($"/api/v1/recordings/{recording}/markers", new { atSeconds = 2, note = "by token" }, Token)).StatusCode);
        }
    }

    [Fact]
    public async Task A_marker_posted_from_the_browser_without_its_antiforgery_token_is_refused()
    {
        var (client, _, recording, _) = await BrowserAsync(Roles.Reviewer);
        var before = await _world.Records.AllEventsAsync();

        var withoutHeader = await client.PostAsJsonAsync($"/api/v1/recordings/{recording}/markers", new { atSeconds = 1, note = "forged" }, Token);
        var wrongHeader = await PostAsync(client, "not-a-token", recording, new { atSeconds = 1, note = "forged" });

        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongHeader.StatusCode);
        Assert.Equal(before, await _world.Records.AllEventsAsync());
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2e%2e")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("7f3c1a52-0000-7000-8000-000000000000%2F..")]
    public async Task Ids_that_are_not_a_visible_recording_find_nothing(string id)
    {
        var (client, token, _, _) = await BrowserAsync(Roles.Reviewer);
        var before = await _world.Records.AllEventsAsync();

        var list = await client.GetAsync($"/api/v1/recordings/{id}/markers", Token);
        var add = await SendAsync(client, token, id, "{\"atSeconds\":1,\"note\":\"x\"}");

        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
        Assert.Equal(before, await _world.Records.AllEventsAsync());
    }

    [Fact]
    public async Task A_saved_marker_cannot_be_changed_or_deleted_by_the_application_role()
    {
        var (client, token, recording, _) = await BrowserAsync(Roles.Reviewer);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, token, recording, new { atSeconds = 1, note = "as written" })).StatusCode);
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);

        foreach (var sql in new[] { "UPDATE recording_markers SET note = 'rewritten'", "DELETE FROM recording_markers" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Token));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        Assert.Equal("as written", (await client.GetFromJsonAsync<List<Marker>>($"/api/v1/recordings/{recording}/markers", Token))!.Single().Note);
    }

    /// <summary>The details of every marker event on the recording's chain of custody (sealed first).</summary>
    private async Task<List<string>> MarkerEventsAsync(Guid recording)
    {
        await _world.Records.SealAsync();
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        return [.. await Dapper.SqlMapper.QueryAsync<string>(connection, new Dapper.CommandDefinition(
            "SELECT details FROM audit_events WHERE action = 'recording.marker_added' AND subject_type = 'recording' AND subject_id = @id ORDER BY seq",
            new { id = recording.ToString() },
            cancellationToken: Token))];
    }

    private static async Task AssertRefusedForAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}: {problem}");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, Guid recording, object body) =>
        SendAsync(client, token, recording.ToString(), JsonSerializer.Serialize(body));

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string token, Guid recording, string json) =>
        SendAsync(client, token, recording.ToString(), json);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string token, string recording, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/recordings/{recording}/markers")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request, Token);
    }

    /// <summary>A signed-in browser of a new unit, its antiforgery token, and a recording of that unit.</summary>
    private async Task<(HttpClient Client, string Token, Guid Recording, string Username)> BrowserAsync(string role)
    {
        var unit = await _world.Records.UnitAsync();
        var recording = await _world.FootageAsync(unit, ReviewWorld.Officer(), "D700001", ReviewWorld.Morning, 60);
        var (client, user) = await app.SignedInAsync([role], unit);
        return (client, await PlayerApp.AntiforgeryTokenAsync(client, "/"), recording, user.Username);
    }
}
