using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>Starting a viewing: the contract the page relies on, the reason, the variant, visibility, and bad input named by field.</summary>
public sealed class SessionTests(PlayerApp app, FakeClockPlayer clocked) : IClassFixture<PlayerApp>, IClassFixture<FakeClockPlayer>
{
    private readonly PlaybackHarness _playback = new(app);

    /// <summary>For what is credited by the time between heartbeats: the test moves that time itself.</summary>
    private readonly PlaybackHarness _clockedPlayback = new(clocked.App);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_viewing_starts_with_a_reason_and_answers_the_contract_the_page_uses()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit, thumbnails: true);
        var viewer = await _playback.BrowserAsync([Roles.Reviewer], unit);

        var response = await PlaybackHarness.StartResponseAsync(viewer, footage.RecordingId, new { reason = "  复核 reviewing  ", variant = "rendition", approvalId = (string?)null });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        var session = body.GetProperty("sessionId").GetGuid();
        Assert.Equal($"/api/v1/sessions/{session}", response.Headers.Location!.OriginalString);
        Assert.Equal($"/api/v1/sessions/{session}/media", body.GetProperty("mediaUrl").GetString());
        Assert.Equal("video/mp4", body.GetProperty("mediaType").GetString());
        Assert.Equal($"/api/v1/sessions/{session}/thumbnails.vtt", body.GetProperty("thumbnailsUrl").GetString());
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > TimeProvider.System.GetUtcNow());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("frameRate").ValueKind); // no probe for random bytes
        Assert.Equal(10, body.GetProperty("durationSeconds").GetDouble());

        const string sql = "SELECT reason, variant, user_id, client_address, user_agent, ended_at IS NULL FROM playback_sessions WHERE id = @session";
        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        var row = await connection.QuerySingleAsync<(string Reason, string Variant, Guid UserId, string Address, string Agent, bool Open)>(new CommandDefinition(sql, new { session }, cancellationToken: Token));
        Assert.Equal(("复核 reviewing", "rendition", viewer.UserId, true), (row.Reason, row.Variant, row.UserId, row.Open));
        Assert.False(string.IsNullOrEmpty(row.Address));
        var started = await _playback.Records.LastEventAsync("playback.started", footage.RecordingId.ToString());
        Assert.Contains(session.ToString(), started!, StringComparison.Ordinal);
        Assert.Contains("复核 reviewing", started!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_thumbnails_track_points_at_the_sessions_sprite_and_every_thumbnail_byte_is_logged()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit, thumbnails: true);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);

        var track = await (await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/thumbnails.vtt")).Content.ReadAsStringAsync(Token);
        var sprite = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/sprite.jpg");
        var poster = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/poster.jpg");

        Assert.StartsWith("WEBVTT", track, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/sessions/{session}/sprite.jpg#xywh=0,0,160,90", track, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/sessions/{session}/sprite.jpg#xywh=160,0,160,90", track, StringComparison.Ordinal);
        Assert.DoesNotContain("\nsprite.jpg", track, StringComparison.Ordinal);
        Assert.Equal(Bytes.Random(5000, 7), await sprite.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(Bytes.Random(3000, 8), await poster.Content.ReadAsByteArrayAsync(Token));
        var ranges = await _playback.RangesAsync(session);
        Assert.Contains(("sprite", 0L, 4999L), ranges);
        Assert.Contains(("poster", 0L, 2999L), ranges);
        Assert.Contains(ranges, r => r.Part == "thumbnails" && r.First == 0);
    }

    [Theory]
    [InlineData(null, "reason")]
    [InlineData("", "reason")]
    [InlineData("   \t\n ", "reason")]
    [InlineData("LONG", "reason")]
    public async Task A_missing_blank_or_overlong_reason_is_refused_naming_the_field_and_nothing_starts(string? reason, string field)
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var before = await _playback.Records.AllEventsAsync();

        var response = await PlaybackHarness.StartResponseAsync(viewer, footage.RecordingId, new { reason = reason == "LONG" ? new string('事', 1001) : reason, variant = "rendition" });

        await AssertFieldAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    [Theory]
    [InlineData("variant", "4k", "variant")]
    [InlineData("variant", "../original", "variant")]
    [InlineData("approvalId", "not-a-guid", "approvalId")]
    [InlineData("approvalId", "../../etc/passwd", "approvalId")]
    public async Task Bad_variant_or_approval_id_is_refused_naming_the_field(string name, string value, string field)
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var body = new Dictionary<string, string> { ["reason"] = "checking", [name] = value };

        var response = await PlaybackHarness.StartResponseAsync(viewer, footage.RecordingId, body);

        await AssertFieldAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_very_long_user_agent_is_kept_cut_to_its_bound()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        viewer.Http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", new string('A', 20_000));

        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);

        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        var agent = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT user_agent FROM playback_sessions WHERE id = @session", new { session }, cancellationToken: Token));
        Assert.Equal(512, agent!.Length);
    }

    [Fact]
    public async Task Only_roles_that_may_read_originals_get_an_original_session_and_it_streams_the_original_bytes()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var reviewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var legal = await _playback.ApiAsync([Roles.LegalReviewer], unit);

        var refused = await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "want the original", variant = "original" });
        var started = await PlaybackHarness.StartAsync(legal, footage.RecordingId, "法制审核 legal review", "original");
        var media = await PlaybackHarness.GetAsync(legal, started.GetProperty("mediaUrl").GetString()!, "bytes=100-");

        await AssertFieldAsync(refused, HttpStatusCode.Forbidden, "variant");
        Assert.Equal(HttpStatusCode.PartialContent, media.StatusCode);
        Assert.Equal(footage.Original[100..], await media.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_recording_outside_the_users_unit_and_cases_is_404_like_an_unknown_one_and_one_without_rendition_409()
    {
        var unit = await _playback.Records.UnitAsync();
        var other = await _playback.Records.UnitAsync();
        var theirs = await _playback.FootageAsync(other);
        var (bare, _) = await _playback.Records.RecordingAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var before = await _playback.Records.AllEventsAsync();

        var notVisible = await PlaybackHarness.StartResponseAsync(viewer, theirs.RecordingId, new { reason = "curious" });
        var unknown = await PlaybackHarness.StartResponseAsync(viewer, Guid.CreateVersion7(), new { reason = "curious" });
        var noRendition = await PlaybackHarness.StartResponseAsync(viewer, bare.RecordingId, new { reason = "curious" });
        var notGuid = await PlaybackHarness.StartResponseAsync(viewer, Guid.Empty, new { reason = "curious" });
        var traversal = await viewer.PostAsync("/api/v1/recordings/..%2F..%2Fetc/sessions", new { reason = "curious" });

        Assert.Equal(HttpStatusCode.NotFound, notVisible.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, noRendition.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notGuid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    [Fact]
    public async Task A_cookie_call_without_the_antiforgery_header_is_refused_and_starts_nothing()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.BrowserAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        var before = await _playback.Records.AllEventsAsync();

        var start = await viewer.SendAsync(HttpMethod.Post, $"/api/v1/recordings/{footage.RecordingId}/sessions", new { reason = "forged" }, withAntiforgery: false);
        var heartbeat = await viewer.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{session}/heartbeats", new { position = 1, playing = true, rate = 1 }, withAntiforgery: false);
        var end = await viewer.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{session}/end", new { }, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, end.StatusCode);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    [Fact]
    public async Task A_beacon_ends_the_session_with_the_token_as_its_text_body_or_same_origin_and_a_cross_site_one_is_refused()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.BrowserAsync([Roles.Reviewer], unit);
        var byToken = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        var bySameOrigin = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);

        var forgedText = await viewer.Http.PostAsync($"/api/v1/sessions/{byToken}/end", new StringContent("not-the-token", Encoding.UTF8, "text/plain"), Token);
        var crossSite = await BeaconAsync(viewer, bySameOrigin, "cross-site");
        var noMarker = await BeaconAsync(viewer, bySameOrigin, null);
        Assert.Equal(HttpStatusCode.BadRequest, forgedText.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noMarker.StatusCode);
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{byToken}/media", "bytes=0-0")).StatusCode);

        var tokenBeacon = await viewer.Http.PostAsync($"/api/v1/sessions/{byToken}/end", new StringContent(viewer.Antiforgery!, Encoding.UTF8, "text/plain"), Token);
        var sameOrigin = await BeaconAsync(viewer, bySameOrigin, "same-origin");
        var again = await BeaconAsync(viewer, bySameOrigin, "same-origin");

        Assert.Equal(HttpStatusCode.NoContent, tokenBeacon.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{byToken}/media", "bytes=0-0")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{bySameOrigin}/media")).StatusCode);
        Assert.Equal(2, await CountAsync("playback.ended", footage.RecordingId));
    }

    [Fact]
    public async Task Heartbeats_while_playing_become_watched_intervals_and_seeks_credit_nothing()
    {
        var unit = await _clockedPlayback.Records.UnitAsync();
        var footage = await _clockedPlayback.FootageAsync(unit);
        var viewer = await _clockedPlayback.ApiAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);

        await HeartbeatAsync(viewer, session, 3, true, 1);
        clocked.Time.Advance(TimeSpan.FromSeconds(1));
        await HeartbeatAsync(viewer, session, 4, true, 1);   // played 3 → 4
        clocked.Time.Advance(TimeSpan.FromSeconds(1));       // so the jump is judged against a second played, not against no time at all
        await HeartbeatAsync(viewer, session, 200, true, 1); // a seek forward: nothing credited
        await HeartbeatAsync(viewer, session, 200, false, 1);

        var bad = await viewer.PostAsync($"/api/v1/sessions/{session}/heartbeats", new { position = -1, playing = true, rate = 1 });
        var badRate = await viewer.PostAsync($"/api/v1/sessions/{session}/heartbeats", new { position = 1, playing = true, rate = 1000 });
        var noPlaying = await viewer.PostAsync($"/api/v1/sessions/{session}/heartbeats", new { position = 1, rate = 1 });

        await AssertFieldAsync(bad, HttpStatusCode.BadRequest, "position");
        await AssertFieldAsync(badRate, HttpStatusCode.BadRequest, "rate");
        await AssertFieldAsync(noPlaying, HttpStatusCode.BadRequest, "playing");
        Assert.Equal([(3.0, 4.0)], await WatchedAsync(_clockedPlayback, session));
        Assert.Equal(4, await CountAsync(_clockedPlayback, "playback.heartbeat", footage.RecordingId));
    }

    [Fact]
    public async Task The_end_beacon_credits_the_stretch_since_the_last_heartbeat_from_the_state_in_its_query()
    {
        var unit = await _clockedPlayback.Records.UnitAsync();
        var footage = await _clockedPlayback.FootageAsync(unit);
        var viewer = await _clockedPlayback.BrowserAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        await HeartbeatAsync(viewer, session, 3, true, 1);
        clocked.Time.Advance(TimeSpan.FromSeconds(1));

        // Paused at 4 s and the page closed before its pause heartbeat left: the beacon says where it was.
        var beacon = await viewer.Http.PostAsync(
            $"/api/v1/sessions/{session}/end?position=4&playing=false&rate=1", new StringContent(viewer.Antiforgery!, Encoding.UTF8, "text/plain"), Token);
        var late = await viewer.PostAsync($"/api/v1/sessions/{session}/heartbeats", new { position = 4, playing = false, rate = 1 });
        var again = await viewer.Http.PostAsync(
            $"/api/v1/sessions/{session}/end?position=9&playing=false", new StringContent(viewer.Antiforgery!, Encoding.UTF8, "text/plain"), Token);

        Assert.Equal(HttpStatusCode.NoContent, beacon.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal([(3.0, 4.0)], await WatchedAsync(_clockedPlayback, session));
        Assert.Equal(1, await CountAsync(_clockedPlayback, "playback.ended", footage.RecordingId));
    }

    [Fact]
    public async Task An_end_with_a_malformed_state_is_refused_by_field_and_ends_nothing_and_a_lapsed_session_is_credited_nothing()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        await HeartbeatAsync(viewer, session, 3, true, 1);

        var notNumber = await viewer.PostAsync($"/api/v1/sessions/{session}/end?position=abc&playing=true", null);
        var notFlag = await viewer.PostAsync($"/api/v1/sessions/{session}/end?position=3.5&playing=maybe", null);
        var negative = await viewer.PostAsync($"/api/v1/sessions/{session}/end?position=-1&playing=true", null);
        var noPlaying = await viewer.PostAsync($"/api/v1/sessions/{session}/end?position=3.5", null);
        var badRate = await viewer.PostAsync($"/api/v1/sessions/{session}/end?position=3.5&playing=true&rate=Infinity", null);
        var onlyRate = await viewer.PostAsync($"/api/v1/sessions/{session}/end?rate=2", null);
        var notANumber = await viewer.PostAsync($"/api/v1/sessions/{session}/end?position=NaN&playing=true", null);

        await AssertFieldAsync(notNumber, HttpStatusCode.BadRequest, "position");
        await AssertFieldAsync(notFlag, HttpStatusCode.BadRequest, "playing");
        await AssertFieldAsync(negative, HttpStatusCode.BadRequest, "position");
        await AssertFieldAsync(noPlaying, HttpStatusCode.BadRequest, "playing");
        await AssertFieldAsync(badRate, HttpStatusCode.BadRequest, "rate");
        await AssertFieldAsync(onlyRate, HttpStatusCode.BadRequest, "position");
        await AssertFieldAsync(notANumber, HttpStatusCode.BadRequest, "position");
        Assert.Equal(0, await CountAsync("playback.ended", footage.RecordingId));
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/media", "bytes=0-0")).StatusCode);

        // Lapsed since its last heartbeat: it ended then, and what the page reports now is not credited.
        await _playback.ExpireAsync(session);
        Assert.Equal(HttpStatusCode.NoContent, (await viewer.PostAsync($"/api/v1/sessions/{session}/end?position=3.5&playing=true&rate=1", null)).StatusCode);
        Assert.Empty(await WatchedAsync(session));
        Assert.Equal(1, await CountAsync("playback.ended", footage.RecordingId));
    }

    private Task<List<(double From, double To)>> WatchedAsync(Guid session) => WatchedAsync(_playback, session);

    private static async Task<List<(double From, double To)>> WatchedAsync(PlaybackHarness playback, Guid session)
    {
        await using var connection = await playback.Catalogue.OpenConnectionAsync(Token);
        return [.. await connection.QueryAsync<(double From, double To)>(new CommandDefinition(
            "SELECT from_seconds, to_seconds FROM playback_watched WHERE session_id = @session ORDER BY from_seconds", new { session }, cancellationToken: Token))];
    }

    private static async Task HeartbeatAsync(PlaybackHarness.Client viewer, Guid session, double position, bool playing, double rate)
    {
        var response = await viewer.PostAsync($"/api/v1/sessions/{session}/heartbeats", new { position, playing, rate });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(Token));
    }

    private static async Task<HttpResponseMessage> BeaconAsync(PlaybackHarness.Client viewer, Guid session, string? fetchSite)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sessions/{session}/end");
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return await viewer.Http.SendAsync(request, Token);
    }

    private Task<long> CountAsync(string action, Guid recordingId) => CountAsync(_playback, action, recordingId);

    private static async Task<long> CountAsync(PlaybackHarness playback, string action, Guid recordingId)
    {
        const string sql = """
            SELECT (SELECT count(*) FROM audit_events WHERE action = @action AND subject_id = @subject)
                 + (SELECT count(*) FROM audit_outbox WHERE action = @action AND subject_id = @subject)
            """;
        await using var connection = await playback.Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { action, subject = recordingId.ToString() }, cancellationToken: Token));
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), body);
    }
}
