using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>Classified footage: viewed only with a supervisor's approval, for that user and recording, until it expires; all audited.</summary>
public sealed class ApprovalTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(string Unit, PlaybackHarness.Footage Footage, PlaybackHarness.Client Reviewer, PlaybackHarness.Client Supervisor)> ClassifiedAsync(string classification = "state_secret")
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], unit);
        var classify = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/recordings/{footage.RecordingId}/classification", new { classification, reason = "涉密 contains a state secret" });
        Assert.Equal(HttpStatusCode.NoContent, classify.StatusCode);
        return (unit, footage, await _playback.ApiAsync([Roles.Reviewer], unit), supervisor);
    }

    private static async Task<Guid> RequestAsync(PlaybackHarness.Client who, Guid recordingId)
    {
        var response = await who.PostAsync($"/api/v1/recordings/{recordingId}/view-approvals", new { reason = "案件复核需要 needed for the review" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> DecideAsync(PlaybackHarness.Client supervisor, Guid approval, bool approve, string? reason = "依法批准 approved") =>
        supervisor.PostAsync($"/api/v1/view-approvals/{approval}/decision", new { approve, reason });

    [Fact]
    public async Task A_classified_recording_is_viewed_only_after_a_supervisor_approves_and_only_by_that_user()
    {
        var (unit, footage, reviewer, supervisor) = await ClassifiedAsync();
        var colleague = await _playback.ApiAsync([Roles.Reviewer], unit);

        var without = await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "review" });
        var approval = await RequestAsync(reviewer, footage.RecordingId);
        var pending = await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "review", approvalId = approval.ToString() });
        var listed = await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/v1/view-approvals/pending", Token);
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("id").GetGuid() == approval);
        Assert.Equal(HttpStatusCode.NoContent, (await DecideAsync(supervisor, approval, true)).StatusCode);
        var approved = await PlaybackHarness.StartAsync(reviewer, footage.RecordingId, "review", approvalId: approval);
        var borrowed = await PlaybackHarness.StartResponseAsync(colleague, footage.RecordingId, new { reason = "review", approvalId = approval.ToString() });
        var again = await DecideAsync(supervisor, approval, false);

        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pending.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, borrowed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var media = await PlaybackHarness.GetAsync(reviewer, approved.GetProperty("mediaUrl").GetString()!, "bytes=0-9");
        Assert.Equal(footage.Rendition[..10], await media.Content.ReadAsByteArrayAsync(Token));
        var mine = await reviewer.Http.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{footage.RecordingId}/view-approvals", Token);
        Assert.Equal("approved", mine.EnumerateArray().Single().GetProperty("state").GetString());
        Assert.NotNull(await _playback.Records.LastEventAsync("viewing.approval-requested", footage.RecordingId.ToString()));
        Assert.Contains(approval.ToString(), (await _playback.Records.LastEventAsync("viewing.approved", footage.RecordingId.ToString()))!, StringComparison.Ordinal);
        Assert.Contains("state_secret", (await _playback.Records.LastEventAsync("recording.classification-changed", footage.RecordingId.ToString()))!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewing_under_way_stops_serving_once_the_recording_is_classified_its_approval_lapses_or_it_is_disposed_of()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], unit);
        var reviewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        static string Media(Guid session) => $"/api/v1/sessions/{session}/media";

        // Classified while it is being watched: the viewing started without an approval serves no more bytes.
        var open = await PlaybackHarness.SessionAsync(reviewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(reviewer, Media(open), "bytes=0-9")).StatusCode);
        var classify = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/recordings/{footage.RecordingId}/classification", new { classification = "personal_privacy", reason = "涉及个人隐私 a bystander's face" });
        Assert.Equal(HttpStatusCode.NoContent, classify.StatusCode);
        var afterClassified = await PlaybackHarness.GetAsync(reviewer, Media(open), "bytes=10-19");
        Assert.Equal(HttpStatusCode.Forbidden, afterClassified.StatusCode);
        Assert.Equal([("media", 0L, 9L)], await _playback.RangesAsync(open));

        // Viewed with an approval: served until the approval lapses.
        var approval = await RequestAsync(reviewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.NoContent, (await DecideAsync(supervisor, approval, true)).StatusCode);
        var approved = (await PlaybackHarness.StartAsync(reviewer, footage.RecordingId, "review", approvalId: approval)).GetProperty("sessionId").GetGuid();
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(reviewer, Media(approved), "bytes=0-9")).StatusCode);
        await using (var connection = await _playback.Catalogue.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE view_approvals SET expires_at = now() - interval '1 second' WHERE id = @approval", new { approval }, cancellationToken: Token));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await PlaybackHarness.GetAsync(reviewer, Media(approved), "bytes=10-19")).StatusCode);
        Assert.Equal([("media", 0L, 9L)], await _playback.RangesAsync(approved));

        // Disposed of while watched (unclassified again first, so only the disposal stops it).
        var declassify = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/recordings/{footage.RecordingId}/classification", new { classification = "normal", reason = "已打码 faces blurred in the copy" });
        Assert.Equal(HttpStatusCode.NoContent, declassify.StatusCode);
        var last = await PlaybackHarness.SessionAsync(reviewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(reviewer, Media(last), "bytes=0-9")).StatusCode);
        await using (var connection = await _playback.Catalogue.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE recordings SET disposed_at = now() WHERE id = @RecordingId", new { footage.RecordingId }, cancellationToken: Token));
        }

        Assert.Equal(HttpStatusCode.Gone, (await PlaybackHarness.GetAsync(reviewer, Media(last), "bytes=10-19")).StatusCode);
        Assert.Equal([("media", 0L, 9L)], await _playback.RangesAsync(last));
    }

    [Fact]
    public async Task Footage_of_no_unit_seen_through_a_case_stops_at_its_next_range_once_unlinked_as_a_refusal_not_as_disposed()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit: null);
        var caseNumber = $"C-{Guid.NewGuid():N}"[..16];
        await _playback.LinkToNewCaseAsync(caseNumber, unit, footage.RecordingId);

        var reviewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(reviewer, footage.RecordingId);
        var media = $"/api/v1/sessions/{session}/media";
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(reviewer, media, "bytes=0-9")).StatusCode);
        await using (var connection = await _playback.Catalogue.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE recording_links SET unlinked_at = now() WHERE recording_id = @RecordingId", new { footage.RecordingId }, cancellationToken: Token));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await PlaybackHarness.GetAsync(reviewer, media, "bytes=10-19")).StatusCode);
        Assert.Equal([("media", 0L, 9L)], await _playback.RangesAsync(session));
    }

    [Fact]
    public async Task A_denied_or_expired_approval_opens_nothing()
    {
        var (_, footage, reviewer, supervisor) = await ClassifiedAsync("commercial_secret");
        var denied = await RequestAsync(reviewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.NoContent, (await DecideAsync(supervisor, denied, false, "不予批准 not needed")).StatusCode);
        var expired = await RequestAsync(reviewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.NoContent, (await DecideAsync(supervisor, expired, true)).StatusCode);
        await using (var connection = await _playback.Catalogue.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE view_approvals SET expires_at = now() - interval '1 second' WHERE id = @expired", new { expired }, cancellationToken: Token));
        }

        foreach (var approval in new[] { denied, expired })
        {
            var response = await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "review", approvalId = approval.ToString() });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_supervisor_may_not_approve_their_own_request_nor_one_outside_what_they_see_and_the_attempt_is_audited()
    {
        var (_, footage, reviewer, supervisor) = await ClassifiedAsync();
        var own = await RequestAsync(supervisor, footage.RecordingId);
        var strangerUnit = await _playback.Records.UnitAsync();
        var stranger = await _playback.ApiAsync([Roles.Supervisor], strangerUnit);
        var request = await RequestAsync(reviewer, footage.RecordingId);
        var refusalsBefore = await _playback.Records.EventsAsync("viewing.approval-decision-refused");

        var self = await DecideAsync(supervisor, own, true);
        var outside = await DecideAsync(stranger, request, true);
        var selfStart = await PlaybackHarness.StartResponseAsync(supervisor, footage.RecordingId, new { reason = "review", approvalId = own.ToString() });

        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, selfStart.StatusCode);
        Assert.Equal(refusalsBefore + 2, await _playback.Records.EventsAsync("viewing.approval-decision-refused"));
        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM view_approvals WHERE id = ANY(@ids) AND state = 'requested'", new { ids = new[] { own, request } }, cancellationToken: Token)));
    }

    [Theory]
    [InlineData(null, "reason")]
    [InlineData("  ", "reason")]
    [InlineData("LONG", "reason")]
    public async Task Requests_and_decisions_need_a_reason(string? reason, string field)
    {
        var (_, footage, reviewer, supervisor) = await ClassifiedAsync();
        var approval = await RequestAsync(reviewer, footage.RecordingId);
        var text = reason == "LONG" ? new string('x', 1001) : reason;

        var request = await reviewer.PostAsync($"/api/v1/recordings/{footage.RecordingId}/view-approvals", new { reason = text });
        var decision = await supervisor.PostAsync($"/api/v1/view-approvals/{approval}/decision", new { approve = true, reason = text });
        var noVerdict = await supervisor.PostAsync($"/api/v1/view-approvals/{approval}/decision", new { reason = "fine" });
        var badClass = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/recordings/{footage.RecordingId}/classification", new { classification = "top_secret", reason = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, request.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, decision.StatusCode);
        Assert.Contains($"\"{field}\"", await decision.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("\"approve\"", await noVerdict.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("\"classification\"", await badClass.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_holds_for_the_classification_it_was_given_for_or_lower_never_after_a_raise()
    {
        var (_, footage, reviewer, supervisor) = await ClassifiedAsync("personal_privacy");
        var approval = await RequestAsync(reviewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.NoContent, (await DecideAsync(supervisor, approval, true)).StatusCode);
        var running = (await PlaybackHarness.StartAsync(reviewer, footage.RecordingId, "review", approvalId: approval)).GetProperty("mediaUrl").GetString()!;
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(reviewer, running, "bytes=0-9")).StatusCode);

        // Lowered: what was approved still covers it, for the running viewing and a new one.
        await Reclassify(supervisor, footage.RecordingId, "normal");
        await Reclassify(supervisor, footage.RecordingId, "personal_privacy");
        Assert.Equal(HttpStatusCode.PartialContent, (await PlaybackHarness.GetAsync(reviewer, running, "bytes=10-19")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "review", approvalId = approval.ToString() })).StatusCode);

        // Raised to state_secret: neither the running viewing nor a new one may go on under that approval.
        var served = await _playback.RangesAsync(Guid.Parse(running.Split('/')[4]));
        await Reclassify(supervisor, footage.RecordingId, "state_secret");
        var runningAfter = await PlaybackHarness.GetAsync(reviewer, running, "bytes=20-29");
        var newAfter = await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "review", approvalId = approval.ToString() });

        Assert.Equal(HttpStatusCode.Forbidden, runningAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, newAfter.StatusCode);
        Assert.Contains("approvalId", await newAfter.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(served, await _playback.RangesAsync(Guid.Parse(running.Split('/')[4]))); // nothing served after the raise, nothing logged
        Assert.Contains("\"classification\":\"personal_privacy\"", (await _playback.Records.LastEventAsync("viewing.approved", footage.RecordingId.ToString()))!, StringComparison.Ordinal);

        // A new approval, decided now, is for state_secret and lets the viewing start.
        var again = await RequestAsync(reviewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.NoContent, (await DecideAsync(supervisor, again, true)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PlaybackHarness.StartResponseAsync(reviewer, footage.RecordingId, new { reason = "review", approvalId = again.ToString() })).StatusCode);
    }

    private static async Task Reclassify(PlaybackHarness.Client supervisor, Guid recordingId, string classification)
    {
        var response = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/recordings/{recordingId}/classification", new { classification, reason = "复核密级 reviewed the classification" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task The_approvals_page_lists_pending_requests_and_its_forms_decide_only_with_the_antiforgery_token()
    {
        var (unit, footage, reviewer, _) = await ClassifiedAsync();
        var approval = await RequestAsync(reviewer, footage.RecordingId);
        var browser = await _playback.BrowserAsync([Roles.Supervisor], unit);

        var page = await browser.Http.GetStringAsync("/approvals/viewing", Token);
        var forged = await browser.Http.PostAsync("/approvals/viewing?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["ApprovalId"] = approval.ToString(), ["Reason"] = "forged" }), Token);
        var forgedState = await StateAsync(approval);
        var token = await PlayerApp.AntiforgeryTokenAsync(browser.Http, "/approvals/viewing");
        var real = await browser.Http.PostAsync("/approvals/viewing?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["ApprovalId"] = approval.ToString(), ["Reason"] = "批准 approved", ["__RequestVerificationToken"] = token }), Token);

        Assert.Contains(approval.ToString(), page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("requested", forgedState);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal("approved", await StateAsync(approval));
    }

    private async Task<string> StateAsync(Guid approval)
    {
        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        return (await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT state FROM view_approvals WHERE id = @approval", new { approval }, cancellationToken: Token)))!;
    }
}
