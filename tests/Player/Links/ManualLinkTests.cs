using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Pages;

namespace Enforcement.Media.Tests.Player.Links;

/// <summary>
/// Links made and removed by hand through <c>/api/v1/recordings/{id}/links</c>: who and why on record, each
/// audited; completeness and retention following at once; the same link twice; bad input refused by field;
/// recordings and cases the user may not see answered as unknown; footage crossing units only by a person of
/// its own unit; an automatic link removed and never made again.
/// </summary>
public sealed class ManualLinkTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private static readonly DateTimeOffset Morning = ReviewWorld.Morning;
    private readonly ReviewWorld _world = new(app);
    private readonly LinkHarness _links = new(app);

    private static CancellationToken Token => LinkHarness.Token;

    [Fact]
    public async Task A_reviewer_links_footage_to_an_activity_with_a_reason_and_completeness_and_retention_follow_the_link_and_its_removal()
    {
        var scene = await _links.SceneAsync();
        var (reviewer, user) = await _world.Records.BearerAsync([Roles.Reviewer], scene.Unit);
        var partly = await CompletenessAsync(scene.CaseNumber);
        Assert.Equal([scene.Linked], partly.Recordings.Select(r => r.RecordingId)); // the named officer's minute only
        Assert.NotEmpty(partly.Gaps);
        Assert.False(await RetentionQueuedAsync(scene.Footage));

        var linked = await LinkHarness.PostAsync(reviewer, scene.Footage, new { caseNumber = scene.CaseNumber, activityId = "SEIZE", reason = "  执法人员 B 的记录仪拍下了扣押全程  " });

        Assert.Equal(HttpStatusCode.Created, linked.StatusCode);
        var link = await linked.Content.ReadFromJsonAsync<JsonElement>(Token);
        var linkId = link.GetProperty("linkId").GetGuid();
        Assert.Equal($"/api/v1/recordings/{scene.Footage}/links/{linkId}", linked.Headers.Location!.OriginalString);
        Assert.Equal(
            (scene.CaseNumber, "investigation", "SEIZE", "seizure", "manual", $"user:{user.Username}", "执法人员 B 的记录仪拍下了扣押全程"),
            (Text(link, "caseNumber"), Text(link, "stageCode"), Text(link, "activityId"), Text(link, "activityType"), Text(link, "method"), Text(link, "linkedBy"), Text(link, "reason")));
        Assert.Equal(linkId, (await LinkHarness.LinksAsync(reviewer, scene.Footage)).Single().GetProperty("linkId").GetGuid());

        // Completeness reads the link at once: the seizure (recorded in full) is covered, no gap left.
        var covered = await CompletenessAsync(scene.CaseNumber);
        Assert.Equal([scene.Footage, scene.Linked], covered.Recordings.Select(r => r.RecordingId));
        Assert.Empty(covered.Gaps);
        Assert.True(covered.Complete);

        // The retention job was queued with the link; run, it makes the footage evidence of the open case.
        Assert.True(await RetentionQueuedAsync(scene.Footage));
        var retained = await app.Service<RetentionEnforcer>().ApplyAsync(scene.Footage, "system:test", Token);
        Assert.Equal(("evidence", true), (retained!.Plan.Class, retained.Plan.LegalHold));
        var audited = JsonDocument.Parse((await _world.Records.LastEventAsync("recording.linked", scene.Footage.ToString()))!).RootElement;
        Assert.Equal(("manual", "SEIZE", scene.CaseNumber), (Text(audited, "method"), Text(audited, "activity"), Text(audited, "caseNumber")));
        Assert.Equal($"user:{user.Username}", await _world.Records.LastActorAsync("recording.linked", scene.Footage.ToString()));

        await FinishRetentionJobsAsync(scene.Footage);
        var removed = await LinkHarness.DeleteAsync(reviewer, scene.Footage, linkId, new { reason = "扣押的是另一辆车 wrong vehicle" });

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Empty(await LinkHarness.LinksAsync(reviewer, scene.Footage));
        var uncovered = await CompletenessAsync(scene.CaseNumber);
        Assert.Equal([scene.Linked], uncovered.Recordings.Select(r => r.RecordingId));
        Assert.Equal(partly.Gaps, uncovered.Gaps);
        Assert.True(await RetentionQueuedAsync(scene.Footage));
        var unlinked = JsonDocument.Parse((await _world.Records.LastEventAsync("recording.unlinked", scene.Footage.ToString()))!).RootElement;
        Assert.Equal(("manual", "扣押的是另一辆车 wrong vehicle"), (Text(unlinked, "method"), Text(unlinked, "reason")));

        // Kept on record as removed: who, when, why — and a period once applied is never shortened by it.
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        Assert.Equal(
            ($"user:{user.Username}", "扣押的是另一辆车 wrong vehicle"),
            await connection.QuerySingleAsync<(string, string)>("SELECT unlinked_by, unlink_reason FROM recording_links WHERE id = @linkId", new { linkId }));
    }

    [Fact]
    public async Task The_same_link_twice_is_the_link_already_there_and_nothing_new_is_recorded()
    {
        var scene = await _links.SceneAsync();
        var (reviewer, _) = await _world.Records.BearerAsync([Roles.LegalReviewer], scene.Unit);

        var first = await LinkHarness.PostAsync(reviewer, scene.Footage, new { caseNumber = scene.CaseNumber, activityId = "SEIZE", reason = "first" });
        var events = await _world.Records.AllEventsAsync();
        var again = await LinkHarness.PostAsync(reviewer, scene.Footage, new { caseNumber = $" {scene.CaseNumber} ", activityId = "SEIZE", stage = "investigation", reason = "again, by another route" });
        var caseAlone = await LinkHarness.PostAsync(reviewer, scene.Footage, new { caseNumber = scene.CaseNumber, reason = "the case as a whole" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var kept = await again.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("linkId").GetGuid(), kept.GetProperty("linkId").GetGuid());
        Assert.Equal("first", Text(kept, "reason"));

        // A link to the case alone is another place: a second link.
        Assert.Equal(HttpStatusCode.Created, caseAlone.StatusCode);
        Assert.Equal(events + 1, await _world.Records.AllEventsAsync());
        Assert.Equal(2, (await LinkHarness.LinksAsync(reviewer, scene.Footage)).Count);

        // Where the linker already linked the footage, asking for it by hand answers the automatic link.
        var automatic = await LinkHarness.PostAsync(reviewer, scene.Linked, new { caseNumber = scene.CaseNumber, activityId = "SEIZE", reason = "confirming" });
        Assert.Equal(HttpStatusCode.OK, automatic.StatusCode);
        Assert.Equal("auto", Text(await automatic.Content.ReadFromJsonAsync<JsonElement>(Token), "method"));
    }

    [Theory]
    [InlineData("""{"caseNumber":"{case}","activityId":"SEIZE"}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("""{"caseNumber":"{case}","activityId":"SEIZE","reason":null}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("""{"caseNumber":"{case}","activityId":"SEIZE","reason":""}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("""{"caseNumber":"{case}","activityId":"SEIZE","reason":" \t\n "}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("""{"caseNumber":"{case}","activityId":"SEIZE","reason":"{long}"}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("""{"caseNumber":"{case}","activityId":"SEIZE","reason":42}""", HttpStatusCode.BadRequest, "reason")]
    [InlineData("""{"activityId":"SEIZE","reason":"no case"}""", HttpStatusCode.BadRequest, "caseNumber")]
    [InlineData("""{"caseNumber":"NO-SUCH-CASE-000","activityId":"SEIZE","reason":"unknown case"}""", HttpStatusCode.NotFound, "caseNumber")]
    [InlineData("""{"caseNumber":"{case}","activityId":"NO-SUCH-ACTIVITY","reason":"unknown activity"}""", HttpStatusCode.NotFound, "activityId")]
    [InlineData("""{"caseNumber":"{case}","activityId":"SEIZE","stage":"decision","reason":"wrong stage"}""", HttpStatusCode.BadRequest, "stage")]
    [InlineData("""{"caseNumber":"{case}","stage":"no_such_stage","reason":"unknown stage"}""", HttpStatusCode.BadRequest, "stage")]
    public async Task A_link_asked_wrongly_is_refused_naming_the_field_and_nothing_changes(string json, HttpStatusCode status, string field)
    {
        var scene = await _links.SceneAsync();
        var (reviewer, _) = await _world.Records.BearerAsync([Roles.Reviewer], scene.Unit);
        var before = await _world.Records.AllEventsAsync();

        var response = await reviewer.PostAsync(
            $"/api/v1/recordings/{scene.Footage}/links",
            new StringContent(json.Replace("{case}", scene.CaseNumber, StringComparison.Ordinal).Replace("{long}", new string('理', 2001), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"),
            Token);

        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.Equal(before, await _world.Records.AllEventsAsync());
        Assert.Empty(await LinkHarness.LinksAsync(reviewer, scene.Footage));
    }

    [Fact]
    public async Task A_recording_or_case_the_user_may_not_see_is_answered_exactly_as_one_that_does_not_exist()
    {
        var scene = await _links.SceneAsync();
        var elsewhere = await _links.SceneAsync();
        var (reviewer, _) = await _world.Records.BearerAsync([Roles.Supervisor], scene.Unit);
        var (theirs, _) = await _world.Records.BearerAsync([Roles.Reviewer], elsewhere.Unit);
        var elsewhereLink = (await LinkHarness.LinksAsync(theirs, elsewhere.Linked)).Single().GetProperty("linkId").GetGuid();
        var before = await _world.Records.AllEventsAsync();

        var hiddenRecording = await LinkHarness.PostAsync(reviewer, elsewhere.Footage, new { caseNumber = scene.CaseNumber, activityId = "SEIZE", reason = "not mine" });
        var noRecording = await LinkHarness.PostAsync(reviewer, Guid.NewGuid(), new { caseNumber = scene.CaseNumber, activityId = "SEIZE", reason = "not mine" });
        var hiddenCase = await LinkHarness.PostAsync(reviewer, scene.Footage, new { caseNumber = elsewhere.CaseNumber, activityId = "SEIZE", reason = "their case" });
        var noCase = await LinkHarness.PostAsync(reviewer, scene.Footage, new { caseNumber = "NO-SUCH-CASE-001", activityId = "SEIZE", reason = "their case" });
        var hiddenLinks = await reviewer.GetAsync($"/api/v1/recordings/{elsewhere.Footage}/links", Token);
        var hiddenUnlink = await LinkHarness.DeleteAsync(reviewer, elsewhere.Linked, elsewhereLink, new { reason = "not mine" });
        var linkOfAnother = await LinkHarness.DeleteAsync(reviewer, scene.Linked, elsewhereLink, new { reason = "not this recording's" });

        Assert.All([hiddenRecording, noRecording, hiddenLinks, hiddenUnlink, linkOfAnother], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(await TitleAsync(noRecording), await TitleAsync(hiddenRecording));
        Assert.Equal(HttpStatusCode.NotFound, hiddenCase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noCase.StatusCode);
        Assert.Equal((await TitleAsync(noCase))!.Replace("NO-SUCH-CASE-001", elsewhere.CaseNumber, StringComparison.Ordinal), await TitleAsync(hiddenCase));
        Assert.DoesNotContain(elsewhere.Unit, await hiddenCase.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _world.Records.AllEventsAsync());
        Assert.Single(await LinkHarness.LinksAsync(theirs, elsewhere.Linked));
    }

    [Fact]
    public async Task Footage_reaches_another_units_case_only_when_a_person_of_its_own_unit_links_it()
    {
        var city = await _world.Records.UnitAsync();
        var east = await _world.Records.UnitAsync(city);
        var west = await _world.Records.UnitAsync(city);
        var officer = ReviewWorld.Officer();
        var westCase = await _world.CaseAsync(west, ReviewWorld.NewCaseNumber("WEST"), Morning.AddDays(-1), new ActivityInput("W1", "investigation", "inspection", Morning, Morning.AddMinutes(30), "现场", [officer]));
        var eastCase = await _world.CaseAsync(east, ReviewWorld.NewCaseNumber("EAST"), Morning.AddDays(-1), new ActivityInput("E1", "investigation", "inspection", Morning, Morning.AddMinutes(30), "现场", [ReviewWorld.Officer()]));
        var westFootage = await _world.FootageAsync(west, officer, "D300001", Morning.AddMinutes(5), 60);
        Assert.Single(await LinkHarness.LinksAsync((await _world.Records.BearerAsync([Roles.Reviewer], west)).Client, westFootage)); // the linker's, within its unit

        // An east reviewer sees the west footage only through the west case assigned to them: not theirs to pass on.
        var (eastReviewer, eastUser) = await _world.Records.BearerAsync([Roles.Reviewer], east);
        await _world.AssignAsync(westCase, eastUser.Username);
        var before = await _world.Records.AllEventsAsync();
        var refused = await LinkHarness.PostAsync(eastReviewer, westFootage, new { caseNumber = eastCase, activityId = "E1", reason = "useful for our case" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("a person of the footage's own unit", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _world.Records.AllEventsAsync());

        // A west reviewer who may see the east case decides it for west's footage; so may the city above both.
        var (westReviewer, westUser) = await _world.Records.BearerAsync([Roles.Reviewer], west);
        await _world.AssignAsync(eastCase, westUser.Username);
        var byOwnUnit = await LinkHarness.PostAsync(westReviewer, westFootage, new { caseNumber = eastCase, activityId = "E1", reason = "西区录像记录了东区案件的检查" });
        var (cityReviewer, _) = await _world.Records.BearerAsync([Roles.Reviewer], city);
        var byUnitAbove = await LinkHarness.PostAsync(cityReviewer, westFootage, new { caseNumber = eastCase, reason = "the case as a whole" });

        Assert.Equal(HttpStatusCode.Created, byOwnUnit.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byUnitAbove.StatusCode);
        var (eastColleague, _) = await _world.Records.BearerAsync([Roles.Reviewer], east);
        Assert.Equal(HttpStatusCode.OK, (await eastColleague.GetAsync($"/api/v1/recordings/{westFootage}/links", Token)).StatusCode);
    }

    [Fact]
    public async Task An_automatic_link_is_removed_with_a_reason_and_no_relink_makes_it_again()
    {
        var scene = await _links.SceneAsync();
        var (reviewer, user) = await _world.Records.BearerAsync([Roles.Reviewer], scene.Unit);
        var automatic = (await LinkHarness.LinksAsync(reviewer, scene.Linked)).Single();
        Assert.Equal(("auto", "system:linker"), (Text(automatic, "method"), Text(automatic, "linkedBy")));
        var linkId = automatic.GetProperty("linkId").GetGuid();
        var before = await _world.Records.AllEventsAsync();

        var noBody = await reviewer.DeleteAsync($"/api/v1/recordings/{scene.Linked}/links/{linkId}", Token);
        var blank = await LinkHarness.DeleteAsync(reviewer, scene.Linked, linkId, new { reason = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.True(JsonDocument.Parse(await noBody.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal(before, await _world.Records.AllEventsAsync());

        var removed = await LinkHarness.DeleteAsync(reviewer, scene.Linked, linkId, new { reason = "the officer's recorder was lent out: not this seizure" });
        var again = await LinkHarness.DeleteAsync(reviewer, scene.Linked, linkId, new { reason = "twice" });

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"user:{user.Username}", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var unlinked = JsonDocument.Parse((await _world.Records.LastEventAsync("recording.unlinked", scene.Linked.ToString()))!).RootElement;
        Assert.Equal("auto", Text(unlinked, "method"));

        // The correction stands: neither the recording's relink nor its activity's brings the link back.
        var linker = app.Service<RecordingLinker>();
        Assert.Equal(0, await linker.LinkRecordingAsync(scene.Linked, Token));
        Assert.Equal((0, 0), await linker.LinkActivityAsync(await ActivityIdAsync(scene.CaseNumber, "SEIZE"), Token));
        Assert.Empty(await LinkHarness.LinksAsync(reviewer, scene.Linked));

        // A person may still link it by hand, with a reason.
        Assert.Equal(HttpStatusCode.Created, (await LinkHarness.PostAsync(reviewer, scene.Linked, new { caseNumber = scene.CaseNumber, activityId = "SEIZE", reason = "checked again: it is this seizure" })).StatusCode);
    }

    [Fact]
    public async Task A_records_manager_reads_the_links_but_does_not_make_them()
    {
        var scene = await _links.SceneAsync();
        var (manager, _) = await _world.Records.BearerAsync([Roles.RecordsManager], scene.Unit);

        var read = await manager.GetAsync($"/api/v1/recordings/{scene.Linked}/links", Token);
        var link = await LinkHarness.PostAsync(manager, scene.Footage, new { caseNumber = scene.CaseNumber, activityId = "SEIZE", reason = "records" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, link.StatusCode);
    }

    private async Task<ActivityCompleteness> CompletenessAsync(string caseNumber) =>
        (await app.Service<CompletenessService>().ReportAsync(caseNumber, Token)).Activities.Single();

    private async Task<bool> RetentionQueuedAsync(Guid recordingId)
    {
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE kind = 'retention' AND recording_id = @recordingId AND state = 'queued')", new { recordingId });
    }

    /// <summary>As the ingest worker would: the queued retention jobs of the recording done, so the next change must queue one anew.</summary>
    private async Task FinishRetentionJobsAsync(Guid recordingId)
    {
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(
            "UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE kind = 'retention' AND recording_id = @recordingId AND state = 'queued'", new { recordingId });
    }

    private async Task<Guid> ActivityIdAsync(string caseNumber, string externalId)
    {
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<Guid>(
            "SELECT a.id FROM case_activities a JOIN cases c ON c.id = a.case_id WHERE c.case_number = @caseNumber AND a.external_id = @externalId", new { caseNumber, externalId });
    }

    private static async Task<string?> TitleAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("title").GetString();

    private static string? Text(JsonElement element, string name) => element.GetProperty(name).GetString();
}
