using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Pages;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>
/// The recording search (<c>GET /api/v1/recordings</c> and the <c>/recordings</c> page) through the real app
/// on a real PostgreSQL. Every test searches as a user of a unit of its own, so what another test stores is
/// out of sight by the visibility rule, and each expectation is written out by hand, not computed by the
/// rule under test.
/// </summary>
public sealed partial class RecordingSearchTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    /// <summary>Midnight that starts 2 March 2026 in the display time zone (Asia/Shanghai, the default): a plain day in a filter is a day there.</summary>
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));

    private readonly ReviewWorld _world = new(app);
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_filter_narrows_to_the_footage_it_names()
    {
        var unit = await _world.Records.UnitAsync();
        var (officerA, officerB) = (ReviewWorld.Officer(), ReviewWorld.Officer());
        var (deviceA, deviceB) = (Device(), Device());
        var a = await _world.FootageAsync(unit, officerA, deviceA, Day.AddHours(9), 60, "patrol-north.mp4");
        var b = await _world.FootageAsync(unit, officerB, deviceA, Day.AddDays(1).AddHours(10), 60, "patrol-south.mp4");
        var c = await _world.FootageAsync(unit, officerA, deviceB, Day.AddDays(3).AddHours(8), 60, "interview.mp4");
        var d = await _world.FootageAsync(unit, officerB, deviceB, Day.AddDays(4), 60, "seizure.mp4");
        await _playback.LinkToNewCaseAsync(ReviewWorld.NewCaseNumber(), unit, b);
        await SqlAsync("UPDATE recordings SET media_state = 'unplayable' WHERE id = @c; UPDATE recordings SET media_state = 'unprobed' WHERE id = @d;"
            + "UPDATE recordings SET quarantine_reason = 'hash mismatch' WHERE id = @a", new { a, c, d });
        var viewer = await ApiAsync(unit);

        Assert.Equal(Set(a, b, c, d), await IdsAsync(viewer, ""));
        Assert.Equal(Set(a, c), await IdsAsync(viewer, $"officer={officerA}"));
        Assert.Equal(Set(b, d), await IdsAsync(viewer, $"officer={officerB}"));
        Assert.Equal(Set(a, b), await IdsAsync(viewer, $"recorder={deviceA}"));
        Assert.Equal(Set(c), await IdsAsync(viewer, $"officer={officerA}&recorder={deviceB}"));
        Assert.Equal(Set(a, b, c, d), await IdsAsync(viewer, $"unit={unit}"));
        Assert.Equal(Set(b, c, d), await IdsAsync(viewer, "from=2026-03-03"));
        Assert.Equal(Set(a, b), await IdsAsync(viewer, "to=2026-03-03"));
        Assert.Equal(Set(b), await IdsAsync(viewer, "from=2026-03-03&to=2026-03-03"));
        Assert.Equal(Set(a), await IdsAsync(viewer, "from=2026-03-02T09:00:00&to=2026-03-03T10:00:00")); // no offset: the display zone's wall clock
        Assert.Equal(Set(a), await IdsAsync(viewer, "from=2026-03-02T01:00:00Z&to=2026-03-03T02:00:00Z"));
        Assert.Equal(Set(b), await IdsAsync(viewer, "linked=true"));
        Assert.Equal(Set(a, c, d), await IdsAsync(viewer, "linked=false"));
        Assert.Equal(Set(a, b), await IdsAsync(viewer, "state=probed"));
        Assert.Equal(Set(c), await IdsAsync(viewer, "state=unplayable"));
        Assert.Equal(Set(d), await IdsAsync(viewer, "state=unprobed"));
        Assert.Equal(Set(a), await IdsAsync(viewer, "state=quarantined"));
        Assert.Equal(Set(a, b), await IdsAsync(viewer, "q=PATROL"));
        Assert.Equal(Set(c), await IdsAsync(viewer, "q=view"));
        Assert.Empty(await IdsAsync(viewer, $"officer={officerA}&linked=true"));
        Assert.Empty(await IdsAsync(viewer, "officer=NO-SUCH-OFFICER"));
    }

    [Fact]
    public async Task The_answer_says_what_each_recording_is()
    {
        var unit = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var device = Device();
        var id = await _world.FootageAsync(unit, officer, device, Day.AddHours(9), 75.5, "answer.mp4");
        var caseNumber = ReviewWorld.NewCaseNumber();
        await _playback.LinkToNewCaseAsync(caseNumber, unit, id);
        await _world.ClassifyAsync(id, "personal_privacy");
        var viewer = await ApiAsync(unit);

        var item = Assert.Single((await SearchAsync(viewer, "")).Items);
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        var (sha256, size) = await connection.QuerySingleAsync<(string, long)>(new CommandDefinition("SELECT sha256, size_bytes FROM recordings WHERE id = @id", new { id }, cancellationToken: Token));

        Assert.Equal(id, item.GetProperty("recordingId").GetGuid());
        Assert.Equal("answer.mp4", item.GetProperty("originalName").GetString());
        Assert.Equal(officer, item.GetProperty("officerId").GetString());
        Assert.Equal(device, item.GetProperty("deviceSerial").GetString());
        Assert.Equal(unit, item.GetProperty("unitCode").GetString());
        Assert.Equal(Day.AddHours(9), item.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal("recorder", item.GetProperty("startSource").GetString());
        Assert.Equal(75.5, item.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(size, item.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(sha256, item.GetProperty("sha256").GetString());
        Assert.Equal("probed", item.GetProperty("mediaState").GetString());
        Assert.False(item.GetProperty("quarantined").GetBoolean());
        Assert.Equal("personal_privacy", item.GetProperty("classification").GetString());
        Assert.Equal([caseNumber], item.GetProperty("caseNumbers").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Footage_no_case_leads_to_is_found_and_footage_without_a_recorder_time_is_found_by_its_ingest()
    {
        var unit = await _world.Records.UnitAsync();
        var loose = await _world.FootageAsync(unit, ReviewWorld.Officer(), Device(), Day.AddHours(9), 60);
        var linked = await _world.FootageAsync(unit, ReviewWorld.Officer(), Device(), Day.AddHours(10), 60);
        var unlinkedAgain = await _world.FootageAsync(unit, ReviewWorld.Officer(), Device(), Day.AddHours(11), 60);
        await _playback.LinkToNewCaseAsync(ReviewWorld.NewCaseNumber(), unit, linked);
        await _playback.LinkToNewCaseAsync(ReviewWorld.NewCaseNumber(), unit, unlinkedAgain);
        await SqlAsync("UPDATE recording_links SET unlinked_at = now(), unlinked_by = 'user:test', unlink_reason = 'wrong case' WHERE recording_id = @unlinkedAgain", new { unlinkedAgain });
        var (noClock, _) = await _world.Records.RecordingAsync(unit); // unprobed, no recorder start time
        await SqlAsync("UPDATE recordings SET ingested_at = '2026-01-15T12:00:00Z' WHERE id = @id", new { id = noClock.RecordingId });
        var viewer = await ApiAsync(unit);

        Assert.Equal(Set(loose, unlinkedAgain, noClock.RecordingId), await IdsAsync(viewer, "linked=false"));
        Assert.Equal(Set(noClock.RecordingId), await IdsAsync(viewer, "from=2026-01-15&to=2026-01-15"));
        var item = Assert.Single((await SearchAsync(viewer, "to=2026-01-15")).Items);
        Assert.Equal("ingest", item.GetProperty("startSource").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero), item.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("durationSeconds").ValueKind);
        Assert.Equal("unprobed", item.GetProperty("mediaState").GetString());
    }

    [Fact]
    public async Task A_recorders_footage_of_one_day_is_found_to_the_microsecond_edges_of_the_day()
    {
        var unit = await _world.Records.UnitAsync();
        var device = Device();
        var officer = ReviewWorld.Officer();
        var dayBefore = await _world.FootageAsync(unit, officer, device, Day.AddTicks(-10), 60, "before.mp4");
        var atMidnight = await _world.FootageAsync(unit, officer, device, Day, 60, "midnight.mp4");
        var noon = await _world.FootageAsync(unit, officer, device, Day.AddHours(12), 60, "noon.mp4");
        var lastMoment = await _world.FootageAsync(unit, officer, device, Day.AddDays(1).AddTicks(-10), 60, "last.mp4");
        var nextDay = await _world.FootageAsync(unit, officer, device, Day.AddDays(1), 60, "next.mp4");
        var otherRecorder = await _world.FootageAsync(unit, officer, Device(), Day.AddHours(12), 60, "other.mp4");
        var viewer = await ApiAsync(unit);

        Assert.Equal(Set(atMidnight, noon, lastMoment), await IdsAsync(viewer, $"recorder={device}&from=2026-03-02&to=2026-03-02"));
        Assert.Equal(Set(dayBefore, atMidnight, noon, lastMoment, nextDay), await IdsAsync(viewer, $"recorder={device}"));
        Assert.Equal(Set(noon, otherRecorder), await IdsAsync(viewer, "from=2026-03-02T12:00:00%2B08:00&to=2026-03-02T12:00:01%2B08:00"));
    }

    [Fact]
    public async Task Unplayable_and_quarantined_footage_is_listed_with_its_state()
    {
        var unit = await _world.Records.UnitAsync();
        var unplayable = await _world.FootageAsync(unit, ReviewWorld.Officer(), Device(), Day, 60);
        var (quarantined, _) = await _world.Records.RecordingAsync(unit);
        await SqlAsync(
            "UPDATE recordings SET media_state = 'unplayable' WHERE id = @unplayable; UPDATE recordings SET quarantine_reason = 'station hash did not match' WHERE id = @quarantined",
            new { unplayable, quarantined = quarantined.RecordingId });
        var viewer = await ApiAsync(unit);

        var items = (await SearchAsync(viewer, "")).Items.ToDictionary(i => i.GetProperty("recordingId").GetGuid());

        Assert.Equal(Set(unplayable, quarantined.RecordingId), items.Keys.ToHashSet());
        Assert.Equal("unplayable", items[unplayable].GetProperty("mediaState").GetString());
        Assert.False(items[unplayable].GetProperty("quarantined").GetBoolean());
        Assert.Equal("unprobed", items[quarantined.RecordingId].GetProperty("mediaState").GetString());
        Assert.True(items[quarantined.RecordingId].GetProperty("quarantined").GetBoolean());
        Assert.Equal(Set(quarantined.RecordingId), await IdsAsync(viewer, "state=Quarantined"));
    }

    [Fact]
    public async Task Only_footage_the_viewer_may_see_is_searched_down_the_unit_tree_and_never_what_was_disposed_of()
    {
        var bureau = await _world.Records.UnitAsync();
        var district = await _world.Records.UnitAsync(bureau);
        var station = await _world.Records.UnitAsync(district);
        var elsewhere = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer(); // one officer across units: the filter alone would find them all
        var device = Device();
        var ofBureau = await _world.FootageAsync(bureau, officer, device, Day.AddHours(1), 60, "tree-bureau.mp4");
        var ofDistrict = await _world.FootageAsync(district, officer, device, Day.AddHours(2), 60, "tree-district.mp4");
        var ofStation = await _world.FootageAsync(station, officer, device, Day.AddHours(3), 60, "tree-station.mp4");
        var ofElsewhere = await _world.FootageAsync(elsewhere, officer, device, Day.AddHours(4), 60, "tree-elsewhere.mp4");
        var disposed = await _world.FootageAsync(station, officer, device, Day.AddHours(5), 60, "tree-disposed.mp4");
        var assignedElsewhere = await _world.FootageAsync(elsewhere, officer, device, Day.AddHours(6), 60, "tree-assigned.mp4");
        await SqlAsync("UPDATE recordings SET disposed_at = now(), disposed_by = 'user:test', disposal_reason = 'period ended' WHERE id = @disposed", new { disposed });
        var assignedCase = ReviewWorld.NewCaseNumber();
        await _playback.LinkToNewCaseAsync(assignedCase, elsewhere, assignedElsewhere);

        var atBureau = await ApiAsync(bureau);
        var atDistrict = await ApiAsync(district);
        var (stationClient, stationUser) = await _world.Records.BearerAsync([Roles.Reviewer], station);
        await _world.AssignAsync(assignedCase, stationUser.Username);

        Assert.Equal(Set(ofBureau, ofDistrict, ofStation), await IdsAsync(atBureau, $"officer={officer}"));
        Assert.Equal(Set(ofDistrict, ofStation), await IdsAsync(atDistrict, $"officer={officer}"));
        Assert.Equal(Set(ofStation, assignedElsewhere), await IdsAsync(stationClient, $"officer={officer}"));
        Assert.Equal(Set(ofDistrict, ofStation), await IdsAsync(atBureau, $"officer={officer}&unit={district}"));
        Assert.Equal(Set(ofStation), await IdsAsync(atBureau, $"unit={station}"));
        Assert.Equal(Set(ofDistrict, ofStation), await IdsAsync(atDistrict, $"unit={bureau}")); // the bureau's tree, as far as the district sees
        Assert.Empty(await IdsAsync(atBureau, $"unit={elsewhere}"));
        Assert.Equal(Set(assignedElsewhere), await IdsAsync(stationClient, $"unit={elsewhere}"));
        Assert.Empty(await IdsAsync(atBureau, "q=tree-elsewhere"));
        Assert.Empty(await IdsAsync(atBureau, "q=tree-disposed"));
        Assert.Empty(await IdsAsync(atDistrict, $"recorder={device}&from=2026-03-02T04:00:00%2B08:00&to=2026-03-02T05:00:00%2B08:00"));
        Assert.DoesNotContain(ofElsewhere, await IdsAsync(await ApiAsync(await _world.Records.UnitAsync()), $"officer={officer}"));
    }

    [Fact]
    public async Task Paging_gives_every_row_exactly_once_in_order_even_as_footage_arrives()
    {
        var unit = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var device = Device();
        var stored = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            // Pairs share a start time, so the order must rest on the id too.
            stored.Add(await _world.FootageAsync(unit, officer, device, Day.AddHours(i / 2), 60, $"page-{i}.mp4"));
        }

        var viewer = await ApiAsync(unit);
        var seen = new List<JsonElement>();
        var pages = 0;
        var newer = Guid.Empty;
        string? next = null;
        do
        {
            var page = await SearchAsync(viewer, "pageSize=3" + (next is null ? "" : $"&page={next}"));
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            next = page.NextPage;
            if (pages++ == 0)
            {
                // Footage arriving after the first page: one newer than all listed so far (it must not push a listed
                // row onto the next page, as an offset would) and one among those still to come (listed once).
                newer = await _world.FootageAsync(unit, officer, device, Day.AddHours(3).AddMinutes(30), 60, "late-newer.mp4");
                stored.Add(await _world.FootageAsync(unit, officer, device, Day.AddMinutes(30), 60, "late-older.mp4"));
            }
        }
        while (next is not null);

        var ids = seen.Select(i => i.GetProperty("recordingId").GetGuid()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(stored.ToHashSet(), ids.ToHashSet());
        Assert.Equal(3, pages);
        var order = seen.Select(i => (i.GetProperty("startedAt").GetDateTimeOffset(), i.GetProperty("recordingId").GetGuid())).ToList();
        Assert.Equal(order.OrderByDescending(o => o.Item1).ThenByDescending(o => o.Item2.ToString("N"), StringComparer.Ordinal), order);

        var whole = await SearchAsync(viewer, "pageSize=100");
        Assert.Equal(9, whole.Items.Count);
        Assert.Equal(newer, whole.Items[0].GetProperty("recordingId").GetGuid());
        Assert.Null(whole.NextPage);
        Assert.Null((await SearchAsync(viewer, "pageSize=9")).NextPage);
        Assert.NotNull((await SearchAsync(viewer, "pageSize=8")).NextPage);
    }

    [Fact]
    public async Task Typed_text_matches_itself_literally_never_as_a_pattern()
    {
        var unit = await _world.Records.UnitAsync();
        var officer = ReviewWorld.Officer();
        var device = Device();
        async Task<Guid> Named(string name) => await _world.FootageAsync(unit, officer, device, Day, 60, name);
        var percent = await Named("cam 100% full.mp4");
        var underscore = await Named("cam_1.mp4");
        var backslash = await Named(@"cam\2.mp4");
        var quote = await Named("officer's cam.mp4");
        var doubleQuote = await Named("the \"cam\".mp4");
        var plain = await Named("camX1 100 pct full.mp4");
        var viewer = await ApiAsync(unit);

        Assert.Equal(Set(percent), await IdsAsync(viewer, "q=%25"));
        Assert.Equal(Set(percent), await IdsAsync(viewer, "q=100%25"));
        Assert.Equal(Set(underscore), await IdsAsync(viewer, "q=_"));
        Assert.Equal(Set(underscore), await IdsAsync(viewer, "q=cam_"));
        Assert.Equal(Set(backslash), await IdsAsync(viewer, "q=%5C"));
        Assert.Equal(Set(backslash), await IdsAsync(viewer, "q=cam%5C2"));
        Assert.Equal(Set(quote), await IdsAsync(viewer, "q='"));
        Assert.Equal(Set(doubleQuote), await IdsAsync(viewer, "q=%22"));
        Assert.Empty(await IdsAsync(viewer, "q=%27%20OR%201%3D1%20--"));
        Assert.Empty(await IdsAsync(viewer, "q=%5C%25"));
        Assert.Equal(Set(plain), await IdsAsync(viewer, "q=camX"));
    }

    [Fact]
    public async Task The_text_finds_a_recording_by_the_start_of_its_sha256_in_either_case()
    {
        var unit = await _world.Records.UnitAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _world.FootageAsync(unit, ReviewWorld.Officer(), Device(), Day, 60, $"hash-{i}.mp4"));
        }

        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        var sha256 = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sha256 FROM recordings WHERE id = @id", new { id = ids[1] }, cancellationToken: Token));
        var viewer = await ApiAsync(unit);

        Assert.Equal(Set(ids[1]), await IdsAsync(viewer, $"q={sha256![..12]}"));
        Assert.Equal(Set(ids[1]), await IdsAsync(viewer, $"q={sha256[..12].ToUpperInvariant()}"));
        Assert.Equal(Set(ids[1]), await IdsAsync(viewer, $"q={sha256}"));
        Assert.Empty(await IdsAsync(viewer, $"q={sha256[1..13]}x"));
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("from=2026-03-05&to=2026-03-04", "to")]
    [InlineData("from=2026-03-05T10:00:00Z&to=2026-03-05T09:00:00Z", "to")]
    [InlineData("state=deleted", "state")]
    [InlineData("state=", null)]
    [InlineData("linked=yes", "linked")]
    [InlineData("linked=1", "linked")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=-5", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("page=not-a-page", "page")]
    [InlineData("page=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "page")]
    [InlineData("page=f_________8AAAAAAAAAAAAAAAAAAAAA", "page")] // well formed, but a time past year 9999
    [InlineData("page=gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "page")] // and one before year 1
    public async Task Bad_input_is_refused_naming_the_field(string query, string? field)
    {
        var unit = await _world.Records.UnitAsync();
        await _world.FootageAsync(unit, ReviewWorld.Officer(), Device(), Day, 60);
        var viewer = await ApiAsync(unit);

        var response = await viewer.GetAsync($"/api/v1/recordings?{query}", Token);

        if (field is null)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // blank is "any"
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("recorder")]
    [InlineData("unit")]
    [InlineData("q")]
    public async Task Text_longer_than_any_real_value_is_refused_naming_the_field(string field)
    {
        var viewer = await ApiAsync(await _world.Records.UnitAsync());

        var response = await viewer.GetAsync($"/api/v1/recordings?{field}={new string('x', 201)}", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/recordings?{field}={new string('x', 200)}", Token)).StatusCode);
    }

    [Fact]
    public async Task The_page_filters_links_each_recording_and_pages_in_both_languages()
    {
        var unit = await _world.Records.UnitAsync();
        var device = Device();
        var officer = ReviewWorld.Officer();
        var early = await _world.FootageAsync(unit, officer, device, Day.AddHours(8), 60, "page-early.mp4");
        var late = await _world.FootageAsync(unit, officer, device, Day.AddHours(9), 3725, "page-late.mp4");
        var other = await _world.FootageAsync(unit, officer, Device(), Day.AddHours(10), 60, "page-other.mp4");
        var (client, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        Assert.Contains("href=\"/recordings\"", await client.GetStringAsync("/", Token), StringComparison.Ordinal);
        var all = WebUtility.HtmlDecode(await client.GetStringAsync("/recordings", Token));
        Assert.Equal([other, late, early], Listed(all));
        Assert.Contains("音视频查询", all, StringComparison.Ordinal);
        Assert.DoesNotMatch(UntranslatedKey(), all);

        var first = await client.GetStringAsync($"/recordings?recorder={device}&pageSize=1", Token);
        Assert.Equal([late], Listed(first));
        Assert.Contains($"href=\"/recordings/{late}\"", first, StringComparison.Ordinal);
        Assert.Contains("1:02:05", first, StringComparison.Ordinal);
        var nextLink = WebUtility.HtmlDecode(NextPageLink().Match(first).Groups[1].Value);
        Assert.Contains($"recorder={device}", nextLink, StringComparison.Ordinal);
        var second = await client.GetStringAsync(nextLink, Token);
        Assert.Equal([early], Listed(second));
        Assert.DoesNotMatch(NextPageLink(), second);
        Assert.Contains("data-testid=\"first-page\"", second, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/language/en?returnUrl=%2Frecordings", Token)).StatusCode);
        var english = await client.GetStringAsync("/recordings?linked=false&state=probed&q=page-", Token);
        Assert.Equal([other, late, early], Listed(english));
        Assert.Contains("Find footage", english, StringComparison.Ordinal);
        Assert.Contains("<option value=\"false\" selected=\"selected\">", english, StringComparison.Ordinal);
        Assert.DoesNotMatch(UntranslatedKey(), english);

        var refused = await client.GetAsync("/recordings?from=2026-03-09&to=2026-03-01", Token);
        var refusedPage = await refused.Content.ReadAsStringAsync(Token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("data-field=\"to\"", refusedPage, StringComparison.Ordinal);
        Assert.Empty(Listed(refusedPage));
        Assert.DoesNotMatch(UntranslatedKey(), refusedPage);
    }

    [Fact]
    public async Task The_page_and_its_link_are_for_the_roles_that_read_cases()
    {
        var (admin, _) = await app.SignedInAsync([Roles.Admin]);
        var (records, _) = await app.SignedInAsync([Roles.RecordsManager], await _world.Records.UnitAsync());

        Assert.DoesNotContain("href=\"/recordings\"", await admin.GetStringAsync("/", Token), StringComparison.Ordinal);
        Assert.StartsWith("/accounts/denied", (await admin.GetAsync("/recordings", Token)).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await records.GetAsync("/recordings", Token)).StatusCode);
    }

    private static string Device() => $"D{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static HashSet<Guid> Set(params Guid[] ids) => [.. ids];

    private async Task<HttpClient> ApiAsync(string unit) => (await _world.Records.BearerAsync([Roles.Reviewer], unit)).Client;

    private async Task SqlAsync(string sql, object values)
    {
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(sql, values, cancellationToken: Token));
    }

    private static async Task<(List<JsonElement> Items, string? NextPage)> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/recordings?{query}", Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        var answer = JsonDocument.Parse(body).RootElement;
        return ([.. answer.GetProperty("items").EnumerateArray()], answer.GetProperty("nextPage").GetString());
    }

    private static async Task<HashSet<Guid>> IdsAsync(HttpClient client, string query) =>
        [.. (await SearchAsync(client, query)).Items.Select(i => i.GetProperty("recordingId").GetGuid())];

    private static List<Guid> Listed(string page) => [.. ListedRow().Matches(page).Select(m => Guid.Parse(m.Groups[1].Value))];

    [GeneratedRegex("<tr data-recording=\"([0-9a-f-]{36})\">")]
    private static partial Regex ListedRow();

    [GeneratedRegex("<a href=\"([^\"]+)\" data-testid=\"next-page\">")]
    private static partial Regex NextPageLink();

    [GeneratedRegex(@">\s*(rs|rv|cls)\.[a-zA-Z\-.]+\s*<")]
    private static partial Regex UntranslatedKey();
}
