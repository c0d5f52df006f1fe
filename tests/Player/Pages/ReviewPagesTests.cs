using System.Net;
using System.Text.RegularExpressions;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Pages;

/// <summary>
/// The reviewers' pages through the real app on a real PostgreSQL: who reaches which page,
/// that only visible cases and recordings are shown, the search filters, the case page's stages,
/// activities, footage and gaps, and the recording page's hash, metadata and chain of custody.
/// </summary>
public sealed partial class ReviewPagesTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Anonymous = "anonymous";
    private readonly ReviewWorld _world = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Anonymous, "/accounts/login")]
    [InlineData(Roles.Admin, "/accounts/denied")]
    [InlineData(Roles.Reviewer, null)]
    [InlineData(Roles.LegalReviewer, null)]
    [InlineData(Roles.Supervisor, null)]
    [InlineData(Roles.RecordsManager, null)]
    public async Task Each_page_opens_for_the_roles_that_read_cases_and_sends_others_away(string role, string? sentTo)
    {
        var unit = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var caseNumber = await _world.CaseAsync(unit, ReviewWorld.NewCaseNumber(), ReviewWorld.Morning, Activity("A1", "investigation", "inspection", 0, 30, officer));
        var recording = await _world.FootageAsync(unit, officer, "D100001", ReviewWorld.Morning.AddMinutes(5), 60);
        var client = role == Anonymous ? app.NewClient() : (await app.SignedInAsync([role], unit)).Client;

        foreach (var path in new[] { "/cases", $"/cases/{caseNumber}", $"/recordings/{recording}" })
        {
            var response = await client.GetAsync(path, Token);
            var body = await response.Content.ReadAsStringAsync(Token);
            if (sentTo is null)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} {path}: {(int)response.StatusCode}");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith(sentTo, response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
                Assert.DoesNotContain(caseNumber, body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Only_the_watching_roles_get_the_player_and_only_legal_reviewers_and_supervisors_may_choose_the_original()
    {
        var unit = await _world.Records.UnitAsync();
        var recording = await _world.FootageAsync(unit, ReviewWorld.Officer(), "D100002", ReviewWorld.Morning, 60);

        var records = await PageAsync(Roles.RecordsManager, unit, $"/recordings/{recording}");
        var reviewer = await PageAsync(Roles.Reviewer, unit, $"/recordings/{recording}");
        var legal = await PageAsync(Roles.LegalReviewer, unit, $"/recordings/{recording}");

        Assert.Contains("data-testid=\"may-not-watch\"", records, StringComparison.Ordinal);
        Assert.DoesNotContain("data-player", records, StringComparison.Ordinal);
        Assert.Contains("data-player", reviewer, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"original\"", reviewer, StringComparison.Ordinal);
        Assert.Contains("value=\"original\"", legal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_lists_only_cases_of_the_users_unit_or_assigned_to_them()
    {
        var mine = await _world.Records.UnitAsync();
        var theirs = await _world.Records.UnitAsync();
        var tag = ReviewWorld.NewCaseNumber("VIS")[..14];
        var own = await _world.CaseAsync(mine, $"{tag}-OWN", ReviewWorld.Morning);
        var other = await _world.CaseAsync(theirs, $"{tag}-OTHER", ReviewWorld.Morning);
        var assigned = await _world.CaseAsync(theirs, $"{tag}-ASSIGNED", ReviewWorld.Morning);
        var (client, user) = await app.SignedInAsync([Roles.Reviewer], mine);
        await _world.AssignAsync(assigned, user.Username);

        var page = await client.GetStringAsync($"/cases?number={tag}", Token);

        Assert.Equal([assigned, own], ListedCases(page).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/cases/{other}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/cases/{assigned}", Token)).StatusCode);
    }

    [Fact]
    public async Task A_user_without_a_unit_sees_only_assigned_cases()
    {
        var unit = await _world.Records.UnitAsync();
        var tag = ReviewWorld.NewCaseNumber("NOU")[..14];
        var visible = await _world.CaseAsync(unit, $"{tag}-A", ReviewWorld.Morning);
        await _world.CaseAsync(unit, $"{tag}-B", ReviewWorld.Morning);
        var (client, user) = await app.SignedInAsync([Roles.Reviewer]);
        await _world.AssignAsync(visible, user.Username);

        Assert.Equal([visible], ListedCases(await client.GetStringAsync($"/cases?number={tag}", Token)));
    }

    [Fact]
    public async Task Search_filters_by_case_number_officer_device_and_date_range()
    {
        var unit = await _world.Records.UnitAsync();
        var tag = ReviewWorld.NewCaseNumber("FLT")[..14];
        var officerA = ReviewWorld.Officer();
        var officerB = ReviewWorld.Officer();
        var deviceA = $"DA{Random.Shared.Next(10000, 99999)}";
        var march = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        var june = new DateTimeOffset(2026, 6, 10, 9, 0, 0, TimeSpan.Zero);
        var first = await _world.CaseAsync(unit, $"{tag}-1", march, march.AddDays(20), Activity("X1", "investigation", "inspection", 0, 30, officerA, march));
        var second = await _world.CaseAsync(unit, $"{tag}-2", june, Activity("X2", "investigation", "inspection", 0, 30, officerB, june));
        await _world.FootageAsync(unit, officerA, deviceA, march.AddMinutes(5), 60);
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        Assert.Equal([first, second], ListedCases(await client.GetStringAsync($"/cases?number={tag}", Token)).Order(StringComparer.Ordinal));
        Assert.Equal([first], ListedCases(await client.GetStringAsync($"/cases?number={tag}-1", Token)));
        Assert.Equal([first], ListedCases(await client.GetStringAsync($"/cases?number={tag}&officer={officerA}", Token)));
        Assert.Equal([second], ListedCases(await client.GetStringAsync($"/cases?number={tag}&officer={officerB}", Token)));
        Assert.Equal([first], ListedCases(await client.GetStringAsync($"/cases?number={tag}&device={deviceA}", Token)));
        Assert.Equal([second], ListedCases(await client.GetStringAsync($"/cases?number={tag}&from=2026-06-01&to=2026-06-30", Token)));
        Assert.Equal([first], ListedCases(await client.GetStringAsync($"/cases?number={tag}&from=2026-03-01&to=2026-03-31", Token)));
        Assert.Equal([first], ListedCases(await client.GetStringAsync($"/cases?number={tag}&to=2026-03-10", Token)));
        Assert.Empty(ListedCases(await client.GetStringAsync($"/cases?number={tag}&from=2020-01-01&to=2020-12-31", Token)));
        Assert.Empty(ListedCases(await client.GetStringAsync($"/cases?number={tag}&device=NO-SUCH-DEVICE", Token)));
    }

    [Theory]
    [InlineData("from=2026-13-01")]
    [InlineData("to=yesterday")]
    [InlineData("from=2026-06-30&to=2026-06-01")]
    public async Task A_malformed_date_range_is_refused_with_a_message_and_lists_nothing(string query)
    {
        var unit = await _world.Records.UnitAsync();
        await _world.CaseAsync(unit, ReviewWorld.NewCaseNumber(), ReviewWorld.Morning);
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        var response = await client.GetAsync($"/cases?{query}", Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"error\"", body, StringComparison.Ordinal);
        Assert.Empty(ListedCases(body));
    }

    [Fact]
    public async Task Search_text_is_text_not_a_pattern()
    {
        var unit = await _world.Records.UnitAsync();
        await _world.CaseAsync(unit, ReviewWorld.NewCaseNumber(), ReviewWorld.Morning);
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        Assert.Empty(ListedCases(await client.GetStringAsync("/cases?number=%25", Token)));
        Assert.Empty(ListedCases(await client.GetStringAsync("/cases?number=_", Token)));
        Assert.Empty(ListedCases(await client.GetStringAsync("/cases?number=%27%20OR%201%3D1%20--", Token)));
    }

    [Fact]
    public async Task The_case_page_shows_stages_in_order_activities_in_time_order_their_footage_and_the_gaps()
    {
        var unit = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var device = $"DC{Random.Shared.Next(10000, 99999)}";
        var t = ReviewWorld.Morning;
        var caseNumber = await _world.CaseAsync(
            unit,
            ReviewWorld.NewCaseNumber(),
            t.AddDays(-1),
            Activity("SEIZE", "investigation", "seizure", 60, 90, officer),
            Activity("ASK", "investigation", "interview", 40, 50, officer),
            Activity("LOOK", "opening", "inspection", 0, 20, officer));
        var look = await _world.FootageAsync(unit, officer, device, t.AddMinutes(5), 300, $"{device}_{officer}_look.mp4");
        var seizeFirst = await _world.FootageAsync(unit, officer, device, t.AddMinutes(60), 600, $"{device}_{officer}_seize1.mp4");
        var seizeSecond = await _world.FootageAsync(unit, officer, device, t.AddMinutes(80), 600, $"{device}_{officer}_seize2.mp4");
        var loose = await _world.FootageAsync(unit, officer, device, t.AddHours(6), 60, $"{device}_{officer}_loose.mp4");
        await app.Service<RecordingLinker>().LinkManuallyAsync(loose, caseNumber, null, "user:test", "found on the officer's second recorder", Token);
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        var page = await client.GetStringAsync($"/cases/{caseNumber}", Token);

        var stages = StageAttribute().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([.. CasesOptions.DefaultStages.Select(s => s.Code)], stages);
        Assert.True(page.IndexOf("data-activity=\"LOOK\"", StringComparison.Ordinal) < page.IndexOf("data-activity=\"ASK\"", StringComparison.Ordinal));
        Assert.True(page.IndexOf("data-activity=\"ASK\"", StringComparison.Ordinal) < page.IndexOf("data-activity=\"SEIZE\"", StringComparison.Ordinal));
        var seizure = Section(page, "data-activity=\"SEIZE\"");
        Assert.Contains($"/recordings/{seizeFirst}", seizure, StringComparison.Ordinal);
        Assert.Contains($"/recordings/{seizeSecond}", seizure, StringComparison.Ordinal);
        Assert.DoesNotContain($"/recordings/{look}", seizure, StringComparison.Ordinal);
        Assert.Contains($"/recordings/{look}", Section(page, "data-activity=\"LOOK\""), StringComparison.Ordinal);
        // 10:10–10:20 has no footage in a seizure (must be recorded in full): a red bar and a row.
        Assert.Single(GapBar().Matches(seizure));
        // Shown in the display time zone (Asia/Shanghai by default) with its offset.
        Assert.Contains(t.AddMinutes(70).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss +08:00", System.Globalization.CultureInfo.InvariantCulture), WebUtility.HtmlDecode(seizure), StringComparison.Ordinal);
        Assert.Contains(t.AddMinutes(80).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss +08:00", System.Globalization.CultureInfo.InvariantCulture), WebUtility.HtmlDecode(seizure), StringComparison.Ordinal);
        // The same recorder's files end and start at the gap: the page (Chinese by default) names the missing file's place.
        Assert.Contains($"记录仪 {device} 的连续文件缺失：{device}_{officer}_seize1.mp4 与 {device}_{officer}_seize2.mp4 之间无文件", WebUtility.HtmlDecode(seizure), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"gap\"", Section(page, "data-activity=\"ASK\""), StringComparison.Ordinal);
        Assert.Contains($"/recordings/{loose}", page[page.IndexOf("data-testid=\"unplaced\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("class=\"error\"", page[page.IndexOf("data-testid=\"completeness\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_recording_page_shows_the_hash_the_metadata_and_every_custody_event_in_sequence()
    {
        var unit = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var caseNumber = await _world.CaseAsync(unit, ReviewWorld.NewCaseNumber(), ReviewWorld.Morning, Activity("A1", "investigation", "inspection", 0, 30, officer));
        var recording = await _world.FootageAsync(unit, officer, "D200001", ReviewWorld.Morning.AddMinutes(1), 754.2);
        await _world.Records.SealAsync();
        var sealedActions = (await Query<(long Seq, string Action)>(
            "SELECT seq, action FROM audit_events WHERE subject_type = 'recording' AND subject_id = @id ORDER BY seq", new { id = recording.ToString() })).ToList();
        // The newest event may still wait in the outbox when the page is read (or be sealed by then): shown last either way.
        await app.Service<Enforcement.Media.Storage.Audit.AuditTrail>().AppendAsync(
            new Enforcement.Media.Storage.Audit.AuditEntry("user:test", "recording.test_unsealed", "recording", recording.ToString()), Token);
        var sha256 = await Scalar<string>("SELECT sha256 FROM recordings WHERE id = @recording", new { recording });
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/recordings/{recording}", Token));

        Assert.Contains(sha256, page, StringComparison.Ordinal);
        Assert.Contains("754.200 s", page, StringComparison.Ordinal);
        Assert.Contains("1920×1080", page, StringComparison.Ordinal);
        Assert.Contains("h264 High", page, StringComparison.Ordinal);
        Assert.Contains("31.230400, 121.473700", page, StringComparison.Ordinal);
        Assert.Contains($"/cases/{caseNumber}", page, StringComparison.Ordinal);
        Assert.Contains("D200001", page, StringComparison.Ordinal);
        var shown = CustodyAction().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sealedActions);
        Assert.Contains("recording.ingested", shown);
        Assert.Equal([.. sealedActions.Select(e => e.Action), "recording.test_unsealed"], shown);
    }

    [Fact]
    public async Task The_recording_page_requests_no_footage_before_a_session_exists()
    {
        var unit = await _world.Records.UnitAsync();
        var recording = await _world.FootageAsync(unit, ReviewWorld.Officer(), "D300001", ReviewWorld.Morning, 60);
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        var page = await client.GetStringAsync($"/recordings/{recording}", Token);

        var video = VideoElement().Match(page);
        Assert.True(video.Success, "the page has a <video> for the player");
        Assert.DoesNotContain(" src=", video.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("poster", video.Value, StringComparison.Ordinal);
        Assert.Contains("preload=\"none\"", video.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("/media", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<track", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_classified_recording_says_a_supervisors_approval_is_required_and_offers_the_request()
    {
        var unit = await _world.Records.UnitAsync();
        var recording = await _world.FootageAsync(unit, ReviewWorld.Officer(), "D300002", ReviewWorld.Morning, 60);
        await _world.ClassifyAsync(recording, "personal_privacy");

        var page = await PageAsync(Roles.Reviewer, unit, $"/recordings/{recording}");

        Assert.Contains("data-testid=\"approval-required\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"request-approval\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"approval-id\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"approvals\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_a_supervisor_approves_the_recording_page_lists_the_request_and_passes_the_approval()
    {
        var unit = await _world.Records.UnitAsync();
        var recording = await _world.FootageAsync(unit, ReviewWorld.Officer(), "D300003", ReviewWorld.Morning, 60);
        await _world.ClassifyAsync(recording, "commercial_secret");
        var (client, reviewer) = await app.SignedInAsync([Roles.Reviewer], unit);
        var (_, supervisor) = await app.SignedInAsync([Roles.Supervisor], unit);
        var approvals = app.Service<Enforcement.Media.Player.Approvals.ViewApprovalService>();
        var denied = await approvals.RequestAsync(new(reviewer.Id, $"user:{reviewer.Username}", unit), recording, "first try", Token);
        await approvals.DecideAsync(denied, new(supervisor.Id, $"user:{supervisor.Username}", unit), false, "say why", Token);
        var pending = await client.GetStringAsync($"/recordings/{recording}", Token);
        var approved = await approvals.RequestAsync(new(reviewer.Id, $"user:{reviewer.Username}", unit), recording, "法制审核需要", Token);

        Assert.Contains(denied.ToString(), pending, StringComparison.Ordinal);
        Assert.Matches(ApprovalField(), pending);
        Assert.DoesNotContain("value=", ApprovalField().Match(pending).Value, StringComparison.Ordinal);
        await approvals.DecideAsync(approved, new(supervisor.Id, $"user:{supervisor.Username}", unit), true, "同意", Token);
        var page = await client.GetStringAsync($"/recordings/{recording}", Token);
        Assert.Contains($"value=\"{approved}\"", ApprovalField().Match(page).Value, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"approvals\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_units_recording_and_case_are_not_found_and_their_details_are_not_shown()
    {
        var theirs = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var caseNumber = await _world.CaseAsync(theirs, ReviewWorld.NewCaseNumber(), ReviewWorld.Morning, Activity("A1", "investigation", "inspection", 0, 30, officer));
        var recording = await _world.FootageAsync(theirs, officer, "D400001", ReviewWorld.Morning.AddMinutes(1), 60);
        var sha256 = await Scalar<string>("SELECT sha256 FROM recordings WHERE id = @recording", new { recording });
        var (client, _) = await app.SignedInAsync([Roles.Supervisor], await _world.Records.UnitAsync());

        foreach (var path in new[] { $"/recordings/{recording}", $"/cases/{caseNumber}" })
        {
            var response = await client.GetAsync(path, Token);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(sha256, await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/recordings/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/recordings/../../etc/passwd")]
    [InlineData("/recordings/not-a-guid")]
    [InlineData("/recordings/%20")]
    [InlineData("/cases/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/cases/%2e%2e%5c%2e%2e%5cwindows")]
    [InlineData("/cases/NO-SUCH-CASE")]
    public async Task Path_traversal_and_malformed_ids_find_nothing(string path)
    {
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], await _world.Records.UnitAsync());

        var response = await client.GetAsync(path, Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_speak_chinese_by_default_and_english_when_switched()
    {
        var unit = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var caseNumber = await _world.CaseAsync(unit, ReviewWorld.NewCaseNumber(), ReviewWorld.Morning, Activity("A1", "investigation", "seizure", 0, 30, officer));
        var recording = await _world.FootageAsync(unit, officer, "D500001", ReviewWorld.Morning, 60);
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        Assert.Contains("案件查询", WebUtility.HtmlDecode(await client.GetStringAsync("/cases", Token)), StringComparison.Ordinal);
        Assert.Contains("调查取证", WebUtility.HtmlDecode(await client.GetStringAsync($"/cases/{caseNumber}", Token)), StringComparison.Ordinal);
        Assert.Contains("开始调阅", WebUtility.HtmlDecode(await client.GetStringAsync($"/recordings/{recording}", Token)), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/language/en?returnUrl=%2Fcases", Token)).StatusCode);
        var english = await client.GetStringAsync("/cases", Token);
        Assert.Contains("Find a case", english, StringComparison.Ordinal);
        Assert.DoesNotMatch(UntranslatedKey(), english);
        var casePage = await client.GetStringAsync($"/cases/{caseNumber}", Token);
        Assert.Contains("Investigation and evidence", casePage, StringComparison.Ordinal);
        Assert.DoesNotMatch(UntranslatedKey(), casePage);
        var recordingPage = await client.GetStringAsync($"/recordings/{recording}", Token);
        Assert.Contains("Start viewing", recordingPage, StringComparison.Ordinal);
        Assert.DoesNotMatch(UntranslatedKey(), recordingPage);
    }

    internal static ActivityInput Activity(string id, string stage, string type, int fromMinute, int toMinute, string officer, DateTimeOffset? day = null)
    {
        var start = day ?? ReviewWorld.Morning;
        return new ActivityInput(id, stage, type, start.AddMinutes(fromMinute), start.AddMinutes(toMinute), "现场", [officer]);
    }

    private static List<string> ListedCases(string page) => [.. CaseRow().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The markup of one activity: from its marker to the next activity or stage.</summary>
    private static string Section(string page, string marker)
    {
        var start = page.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{marker} is not on the page");
        var next = NextBlock().Match(page, start + marker.Length);
        return next.Success ? page[start..next.Index] : page[start..];
    }

    private async Task<string> PageAsync(string role, string unit, string path)
    {
        var (client, _) = await app.SignedInAsync([role], unit);
        return await client.GetStringAsync(path, Token);
    }

    private async Task<T> Scalar<T>(string sql, object parameters)
    {
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        return await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, new Dapper.CommandDefinition(sql, parameters, cancellationToken: Token)) ?? throw new InvalidOperationException(sql);
    }

    private async Task<IEnumerable<T>> Query<T>(string sql, object parameters)
    {
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        return [.. await Dapper.SqlMapper.QueryAsync<T>(connection, new Dapper.CommandDefinition(sql, parameters, cancellationToken: Token))];
    }

    [GeneratedRegex("<tr data-case=\"([^\"]+)\">")]
    private static partial Regex CaseRow();

    [GeneratedRegex("data-stage=\"([^\"]+)\"")]
    private static partial Regex StageAttribute();

    [GeneratedRegex("data-testid=\"gap-bar\"")]
    private static partial Regex GapBar();

    [GeneratedRegex("data-activity=\"|data-stage=\"|data-testid=\"unplaced\"")]
    private static partial Regex NextBlock();

    [GeneratedRegex("<tr data-action=\"([^\"]+)\">")]
    private static partial Regex CustodyAction();

    [GeneratedRegex("<input id=\"approval-id\"[^>]*>")]
    private static partial Regex ApprovalField();

    [GeneratedRegex("<video[^>]*>")]
    private static partial Regex VideoElement();

    [GeneratedRegex(@">\s*(rv|pl|mk|cls|stage)\.[a-z\-]+\s*<")]
    private static partial Regex UntranslatedKey();
}
