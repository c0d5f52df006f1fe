using System.Net;
using System.Net.Http.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>Export requests and decisions with bad input: refused with the field named, and nothing requested, decided or audited.</summary>
public sealed class ExportInputTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, string?, string> BadRequests => new()
    {
        { "{recording}", null, "court", "reason" },
        { "{recording}", "", "court", "reason" },
        { "{recording}", " \t\n ", "court", "reason" },
        { "{recording}", new string('由', 2001), "court", "reason" },
        { "{recording}", "legal review", null, "recipient" },
        { "{recording}", "legal review", "   ", "recipient" },
        { "{recording}", "legal review", new string('x', 100_000), "recipient" },
        { "", "legal review", "court", "recordings" },
        { "../../../etc/passwd", "legal review", "court", "recordings[0]" },
        { "{recording}|%2e%2e%2f", "legal review", "court", "recordings[1]" },
        { "{recording}|00000000-0000-0000-0000-000000000000", "legal review", "court", "recordings[1]" },
        { "{foreign}", "legal review", "court", "recordings[0]" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_refused_naming_the_field_and_nothing_is_requested(string recordings, string? reason, string? recipient, string field)
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (mine, _) = await _records.RecordingAsync(unit);
        var (foreign, _) = await _records.RecordingAsync(await _records.UnitAsync());
        var ids = recordings.Replace("{recording}", mine.RecordingId.ToString(), StringComparison.Ordinal).Replace("{foreign}", foreign.RecordingId.ToString(), StringComparison.Ordinal)
            .Split('|', StringSplitOptions.RemoveEmptyEntries);
        var before = await _records.AllEventsAsync();

        var response = await requester.PostAsJsonAsync("/api/v1/exports", new { recordings = ids, reason, recipient }, Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _records.AllEventsAsync());
        Assert.Empty(await requester.GetFromJsonAsync<object[]>("/api/v1/exports", Token) ?? []);
    }

    [Fact]
    public async Task More_recordings_than_allowed_in_one_request_are_refused()
    {
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], await _records.UnitAsync());

        var response = await requester.PostAsJsonAsync("/api/v1/exports", new { recordings = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid().ToString()), reason = "many", recipient = "court" }, Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("at most 100", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("    ")]
    public async Task A_decision_without_a_reason_is_refused_and_the_request_stays_open(string? reason)
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var exportId = await ExportFlow.RequestAsync(requester, [recording.RecordingId]);
        var before = await _records.AllEventsAsync();

        var approve = await ExportFlow.DecideAsync(supervisor, exportId, approve: true, reason);
        var deny = await ExportFlow.DecideAsync(supervisor, exportId, approve: false, reason);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, approve.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, deny.StatusCode);
        Assert.Equal("requested", await ExportFlow.StateAsync(requester, exportId));
        Assert.Equal(before, await _records.AllEventsAsync());
    }

    [Fact]
    public async Task Recordings_of_a_case_assigned_to_the_user_may_be_requested_though_not_of_their_unit()
    {
        var (recording, _) = await _records.RecordingAsync(await _records.UnitAsync());
        var (requester, user) = await _records.BearerAsync([Roles.LegalReviewer], await _records.UnitAsync());
        var caseNumber = $"C-{Guid.NewGuid():N}";
        await app.Service<Enforcement.Media.Storage.Cases.CaseService>().SubmitAsync(
            new(caseNumber, null, null, null, "open", TimeProvider.System.GetUtcNow(), null, null, [], []), "user:test", Token);
        await using (var connection = await _records.Catalogue.OpenConnectionAsync(Token))
        {
            await Dapper.SqlMapper.ExecuteAsync(
                connection,
                "INSERT INTO recording_links (id, recording_id, case_id, method, reason, linked_by, linked_at) SELECT gen_random_uuid(), @recordingId, id, 'manual', 'test', 'user:test', now() FROM cases WHERE case_number = @caseNumber",
                new { recording.RecordingId, caseNumber });
        }

        var refused = await requester.PostAsJsonAsync("/api/v1/exports", new { recordings = new[] { recording.RecordingId.ToString() }, reason = "r", recipient = "c" }, Token);
        await app.Service<Enforcement.Media.Player.Admin.AdminService>().AssignAsync(caseNumber, user.Username, "user:admin", Token);
        var allowed = await requester.PostAsJsonAsync("/api/v1/exports", new { recordings = new[] { recording.RecordingId.ToString() }, reason = "r", recipient = "c" }, Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task The_pages_take_a_request_and_a_decision_and_show_the_package_as_ready()
    {
        var unit = await _records.UnitAsync();
        var (recording, _) = await _records.RecordingAsync(unit);
        var (requester, _) = await app.SignedInAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await app.SignedInAsync([Roles.Supervisor], unit);

        var requested = await requester.PostAsync("/exports", Form(await PlayerApp.AntiforgeryTokenAsync(requester, "/exports"), new()
        {
            ["Recordings"] = $"{recording.RecordingId}\n",
            ["Reason"] = "送法制审核",
            ["Recipient"] = "法制审核机构",
        }), Token);
        Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);
        var exportId = Guid.Parse(requested.Headers.Location!.OriginalString.Split('/')[^1]);
        Assert.Contains(exportId.ToString(), await supervisor.GetStringAsync("/exports/approvals", Token), StringComparison.Ordinal);

        var approved = await supervisor.PostAsync("/exports/approvals?handler=Approve", Form(await PlayerApp.AntiforgeryTokenAsync(supervisor, "/exports/approvals"), new()
        {
            ["ExportId"] = exportId.ToString(),
            ["Reason"] = "同意",
        }), Token);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Contains("data-testid=\"done\"", await approved.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        await ExportFlow.SettledAsync(requester, exportId);

        var detail = await requester.GetStringAsync($"/exports/{exportId}", Token);
        Assert.Contains($"/api/v1/exports/{exportId}/package", detail, StringComparison.Ordinal);
        Assert.DoesNotContain($"/api/v1/exports/{exportId}/package", await supervisor.GetStringAsync($"/exports/{exportId}", Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token)).StatusCode);
        Assert.DoesNotContain("data-testid=\"download\"", await requester.GetStringAsync("/exports", Token), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string antiforgery, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = antiforgery;
        return new FormUrlEncodedContent(fields);
    }
}
