using System.Net;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Publications;

/// <summary>The redaction API: what may be asked for, by whom, of which recordings; drafts; the frozen spec; the redacted viewing.</summary>
public sealed class RedactionApiTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RedactionHarness _redactions = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(string Unit, PlaybackHarness.Footage Footage, PlaybackHarness.Client Reviewer)> SetupAsync(string kind = "video", double? duration = 20)
    {
        var unit = await _redactions.Playback.Records.UnitAsync();
        var footage = await _redactions.ProbedAsync(unit, kind, duration);
        return (unit, footage, await _redactions.Playback.ApiAsync([Roles.Reviewer], unit));
    }

    private static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static TheoryData<string, string, string> HostileSpecs => new()
    {
        { "outside the frame", """{"reason":"r","regions":[{"shape":"rect","keyframes":[{"t":1,"x":0.9,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].keyframes[0].x" },
        { "negative position", """{"reason":"r","regions":[{"shape":"rect","keyframes":[{"t":1,"x":-0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].keyframes[0].x" },
        { "zero width", """{"reason":"r","regions":[{"shape":"rect","keyframes":[{"t":1,"x":0.1,"y":0.1,"w":0,"h":0.2}]}]}""", "regions[0].keyframes[0].w" },
        { "negative height", """{"reason":"r","regions":[{"shape":"ellipse","keyframes":[{"t":1,"x":0.1,"y":0.1,"w":0.2,"h":-0.2}]}]}""", "regions[0].keyframes[0].w" },
        { "t beyond the duration", """{"reason":"r","regions":[{"shape":"rect","keyframes":[{"t":99,"x":0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].keyframes[0].t" },
        { "negative t", """{"reason":"r","regions":[{"shape":"rect","keyframes":[{"t":-1,"x":0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].keyframes[0].t" },
        { "keys out of order", """{"reason":"r","regions":[{"shape":"rect","keyframes":[{"t":3,"x":0.1,"y":0.1,"w":0.2,"h":0.2},{"t":2,"x":0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].keyframes[1].t" },
        { "no keyframes", """{"reason":"r","regions":[{"shape":"rect","keyframes":[]}]}""", "regions[0].keyframes" },
        { "unknown shape", """{"reason":"r","regions":[{"shape":"star","keyframes":[{"t":1,"x":0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].shape" },
        { "region from after to", """{"reason":"r","regions":[{"shape":"rect","from":5,"to":2,"keyframes":[{"t":1,"x":0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].from" },
        { "full frame from after to", """{"reason":"r","fullFrame":[{"from":5,"to":2}]}""", "fullFrame[0].from" },
        { "audio from after to", """{"reason":"r","audio":[{"from":5,"to":2,"mode":"mute"}]}""", "audio[0].from" },
        { "audio range beyond the end", """{"reason":"r","audio":[{"from":5,"to":200,"mode":"mute"}]}""", "audio[0].to" },
        { "unknown audio mode", """{"reason":"r","audio":[{"from":1,"to":2,"mode":"scramble"}]}""", "audio[0].mode" },
        { "nothing to redact", """{"reason":"r"}""", "regions" },
        { "no reason", """{"regions":[{"shape":"rect","keyframes":[{"t":1,"x":0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "reason" },
        { "a number as text", """{"reason":"r","regions":[{"shape":"rect","keyframes":[{"t":"soon","x":0.1,"y":0.1,"w":0.2,"h":0.2}]}]}""", "regions[0].keyframes[0].t" },
    };

    [Theory]
    [MemberData(nameof(HostileSpecs))]
    public async Task A_bad_spec_is_refused_naming_the_field_and_nothing_is_kept(string what, string json, string field)
    {
        var (_, footage, reviewer) = await SetupAsync();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await reviewer.Http.PostAsync($"/api/v1/recordings/{footage.RecordingId}/redactions", content, Token);
        var problem = await RefusedAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{what}: {problem}");
        Assert.Empty(await app.Service<RedactionStore>().ListForRecordingAsync(footage.RecordingId, Token));
    }

    [Fact]
    public async Task Thousands_of_regions_are_refused_with_the_documented_limit()
    {
        var (_, footage, reviewer) = await SetupAsync();
        var regions = Enumerable.Range(0, 2000).Select(_ => RedactionHarness.Region()).ToArray();
        var problem = await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{footage.RecordingId}/redactions", RedactionHarness.Body(regions)), HttpStatusCode.BadRequest);
        Assert.Contains($"At most {RedactionLimits.MaxRegions} regions", problem.GetProperty("errors").GetProperty("regions")[0].GetString());
    }

    [Fact]
    public async Task Regions_on_audio_and_audio_on_a_photo_are_refused()
    {
        var (_, audio, reviewer) = await SetupAsync("audio", 30);
        var onAudio = await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{audio.RecordingId}/redactions", RedactionHarness.Body()), HttpStatusCode.BadRequest);
        Assert.Contains("no picture", onAudio.GetProperty("errors").GetProperty("regions")[0].GetString());

        var (_, photo, photographer) = await SetupAsync("photo", null);
        var body = new { reason = "r", regions = new[] { new { shape = "rect", keyframes = new[] { new { t = 0.0, x = 0.1, y = 0.1, w = 0.3, h = 0.3 } } } }, audio = new[] { new { from = 0.0, to = 1.0, mode = "mute" } } };
        var onPhoto = await RefusedAsync(await photographer.PostAsync($"/api/v1/recordings/{photo.RecordingId}/redactions", body), HttpStatusCode.BadRequest);
        Assert.True(onPhoto.GetProperty("errors").TryGetProperty("audio", out _), onPhoto.ToString());
        Assert.False(onPhoto.GetProperty("errors").TryGetProperty("regions[0].keyframes", out _), onPhoto.ToString());
    }

    [Fact]
    public async Task Unplayable_quarantined_unprobed_and_hidden_recordings_cannot_be_redacted()
    {
        var unit = await _redactions.Playback.Records.UnitAsync();
        var reviewer = await _redactions.Playback.ApiAsync([Roles.Reviewer], unit);
        var unplayable = await _redactions.ProbedAsync(unit, "unknown", null, unplayable: "moov atom not found");
        var quarantined = await _redactions.ProbedAsync(unit);
        await using (var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE recordings SET quarantine_reason = 'hash mismatch' WHERE id = @id", new { id = quarantined.RecordingId }, cancellationToken: Token));
        }

        var unprobed = await _redactions.Playback.FootageAsync(unit);
        var elsewhere = await _redactions.ProbedAsync(await _redactions.Playback.Records.UnitAsync());

        var a = await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{unplayable.RecordingId}/redactions", RedactionHarness.Body()), HttpStatusCode.Conflict);
        Assert.Contains("moov atom not found", a.GetProperty("title").GetString());
        var b = await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{quarantined.RecordingId}/redactions", RedactionHarness.Body()), HttpStatusCode.Conflict);
        Assert.Contains("quarantined", b.GetProperty("title").GetString());
        await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{unprobed.RecordingId}/redactions", RedactionHarness.Body()), HttpStatusCode.Conflict);
        await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{elsewhere.RecordingId}/redactions", RedactionHarness.Body()), HttpStatusCode.NotFound);
        await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{Guid.NewGuid()}/redactions", RedactionHarness.Body()), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_draft_is_edited_then_queued_and_from_then_on_its_spec_is_frozen_even_in_the_catalogue()
    {
        var (_, footage, reviewer) = await SetupAsync();
        var id = await RedactionHarness.CreateAsync(reviewer, footage.RecordingId, RedactionHarness.Body(draft: true));
        Assert.Equal("draft", (await RedactionHarness.GetAsync(reviewer, $"/api/v1/redactions/{id}")).GetProperty("state").GetString());

        var edit = await reviewer.SendAsync(HttpMethod.Put, $"/api/v1/redactions/{id}", RedactionHarness.Body([RedactionHarness.Region(2, 8), RedactionHarness.Region(0, 3)], draft: true, reason: "edited"));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var edited = await RedactionHarness.GetAsync(reviewer, $"/api/v1/redactions/{id}");
        Assert.Equal(2, edited.GetProperty("spec").GetProperty("regions").GetArrayLength());
        Assert.Equal("edited", edited.GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await reviewer.PostAsync($"/api/v1/redactions/{id}/render", null)).StatusCode);
        var queued = await RedactionHarness.GetAsync(reviewer, $"/api/v1/redactions/{id}");
        Assert.Equal("queued", queued.GetProperty("state").GetString());

        await RefusedAsync(await reviewer.SendAsync(HttpMethod.Put, $"/api/v1/redactions/{id}", RedactionHarness.Body(draft: true)), HttpStatusCode.Conflict);
        await RefusedAsync(await reviewer.PostAsync($"/api/v1/redactions/{id}/render", null), HttpStatusCode.Conflict);
        await RefusedAsync(await reviewer.SendAsync(HttpMethod.Delete, $"/api/v1/redactions/{id}", null), HttpStatusCode.Conflict);

        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        var job = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT payload->>'redactionId' FROM jobs WHERE kind = 'redaction' AND payload->>'redactionId' = @id", new { id = id.ToString() }, cancellationToken: Token));
        Assert.Equal(id.ToString(), job);
        var frozen = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE redactions SET spec = '{}'::jsonb WHERE id = @id", new { id }, cancellationToken: Token)));
        Assert.Contains("frozen", frozen.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition("DELETE FROM redactions WHERE id = @id", new { id }, cancellationToken: Token)));

        var events = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT action FROM (SELECT action, details, seq::bigint AS n FROM audit_events UNION ALL SELECT action, details, id::bigint + 1000000000000 FROM audit_outbox) e
            WHERE details::jsonb ->> 'redaction' = @id ORDER BY n
            """,
            new { id = id.ToString() },
            cancellationToken: Token));
        Assert.Equal(["redaction.drafted", "redaction.draft-updated", "redaction.queued"], events.ToArray());
    }

    [Fact]
    public async Task A_draft_can_be_discarded_and_a_redaction_of_a_hidden_recording_is_not_found()
    {
        var (_, footage, reviewer) = await SetupAsync();
        var id = await RedactionHarness.CreateAsync(reviewer, footage.RecordingId, RedactionHarness.Body(draft: true));
        var stranger = await _redactions.Playback.ApiAsync([Roles.Reviewer], await _redactions.Playback.Records.UnitAsync());
        await RefusedAsync(await stranger.Http.GetAsync($"/api/v1/redactions/{id}", Token), HttpStatusCode.NotFound);
        await RefusedAsync(await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/redactions/{id}", null), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.SendAsync(HttpMethod.Delete, $"/api/v1/redactions/{id}", null)).StatusCode);
        await RefusedAsync(await reviewer.Http.GetAsync($"/api/v1/redactions/{id}", Token), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_rendered_redaction_shows_its_output_and_provenance_and_is_watched_in_a_logged_session_without_thumbnails()
    {
        var (unit, footage, reviewer) = await SetupAsync();
        var id = await RedactionHarness.CreateAsync(reviewer, footage.RecordingId);
        var notYet = await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "check", variant = "redacted", redactionId = id.ToString() });
        await RefusedAsync(notYet, HttpStatusCode.Conflict);

        var output = await _redactions.RenderedAsync(id);
        var view = await RedactionHarness.GetAsync(reviewer, $"/api/v1/redactions/{id}");
        Assert.Equal("ready", view.GetProperty("state").GetString());
        Assert.Equal(output.Length, view.GetProperty("output").GetProperty("size").GetInt64());
        var attempt = Assert.Single(view.GetProperty("provenance").EnumerateArray());
        Assert.Equal("redacted", attempt.GetProperty("role").GetString());
        Assert.StartsWith("original:sha256:", attempt.GetProperty("arguments")[1].GetString());

        var publisher = await _redactions.Playback.ApiAsync([Roles.Publisher], unit);
        var rendition = await PlaybackHarness.StartResponseAsync(publisher, footage.RecordingId, new { reason = "公示审查", variant = "rendition" });
        await RefusedAsync(rendition, HttpStatusCode.Forbidden);
        var started = await PlaybackHarness.StartResponseAsync(publisher, footage.RecordingId, new { reason = "公示审查 checking before publication", variant = "redacted", redactionId = id.ToString() });
        var session = (await RefusedAsync(started, HttpStatusCode.Created)).GetProperty("sessionId").GetGuid();
        var media = await PlaybackHarness.GetAsync(publisher, $"/api/v1/sessions/{session}/media", "bytes=0-99");
        Assert.Equal(HttpStatusCode.PartialContent, media.StatusCode);
        Assert.Equal(output[..100], await media.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(HttpStatusCode.NotFound, (await PlaybackHarness.GetAsync(publisher, $"/api/v1/sessions/{session}/poster.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PlaybackHarness.GetAsync(publisher, $"/api/v1/sessions/{session}/thumbnails.vtt")).StatusCode);
        Assert.Equal([("media", 0L, 99L)], await _redactions.Playback.RangesAsync(session));

        // A redaction id of another recording is not a way to stream it.
        var (_, other, _) = await SetupAsync();
        var crossed = await PlaybackHarness.StartResponseAsync(reviewer, other.RecordingId, new { reason = "check", variant = "redacted", redactionId = id.ToString() });
        Assert.NotEqual(HttpStatusCode.Created, crossed.StatusCode);
    }

    [Fact]
    public async Task Face_suggestions_are_asked_for_read_and_each_accepted_or_rejected_once_by_those_who_may_see_the_recording()
    {
        var (_, footage, reviewer) = await SetupAsync();
        var asked = await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{footage.RecordingId}/suggestion-runs", null), HttpStatusCode.Accepted);
        var runId = asked.GetProperty("runId").GetGuid();
        var again = await RefusedAsync(await reviewer.PostAsync($"/api/v1/recordings/{footage.RecordingId}/suggestion-runs", null), HttpStatusCode.Accepted);
        Assert.Equal(runId, again.GetProperty("runId").GetGuid()); // one live run per recording
        Assert.False(again.GetProperty("created").GetBoolean());

        // What the worker does when it finds a face.
        var store = app.Service<SuggestionStore>();
        Assert.NotNull(await store.StartAsync(runId, "test detector", Token));
        Assert.True(await store.CompleteAsync(runId, 20, [new SuggestionFinding(SuggestionKind.Face, [new RegionKeyframe(1, 0.1, 0.1, 0.2, 0.2), new RegionKeyframe(2, 0.2, 0.1, 0.2, 0.2)], 2)], Token));

        var run = await RedactionHarness.GetAsync(reviewer, $"/api/v1/suggestion-runs/{runId}");
        Assert.Equal("ready", run.GetProperty("state").GetString());
        var suggestion = Assert.Single(run.GetProperty("suggestions").EnumerateArray());
        Assert.Equal(2, suggestion.GetProperty("keyframes").GetArrayLength());
        var id = suggestion.GetProperty("suggestionId").GetGuid();

        await RefusedAsync(await reviewer.PostAsync($"/api/v1/redaction-suggestions/{id}/decision", new { decision = "maybe" }), HttpStatusCode.BadRequest);
        var stranger = await _redactions.Playback.ApiAsync([Roles.Reviewer], await _redactions.Playback.Records.UnitAsync());
        await RefusedAsync(await stranger.Http.GetAsync($"/api/v1/suggestion-runs/{runId}", Token), HttpStatusCode.NotFound);
        await RefusedAsync(await stranger.PostAsync($"/api/v1/redaction-suggestions/{id}/decision", new { decision = "accepted" }), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsync($"/api/v1/redaction-suggestions/{id}/decision", new { decision = "accepted" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsync($"/api/v1/redaction-suggestions/{id}/decision", new { decision = "accepted" })).StatusCode);
        await RefusedAsync(await reviewer.PostAsync($"/api/v1/redaction-suggestions/{id}/decision", new { decision = "rejected" }), HttpStatusCode.Conflict);
        var decided = await RedactionHarness.GetAsync(reviewer, $"/api/v1/suggestion-runs/{runId}");
        Assert.Equal("accepted", decided.GetProperty("suggestions")[0].GetProperty("decision").GetString());

        var (_, audio, listener) = await SetupAsync("audio", 30);
        await RefusedAsync(await listener.PostAsync($"/api/v1/recordings/{audio.RecordingId}/suggestion-runs", null), HttpStatusCode.Conflict);
    }
}
