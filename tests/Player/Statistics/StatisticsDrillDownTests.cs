using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>
/// Every number of the statistics links to the list of exactly the rows it counts: each link is followed
/// (as the API behind its page: the recording search, the ledger, the statistics' own rows) and the rows
/// listed are compared with the seeded rows picked by hand — for the whole, a district with its station, the
/// bureau's own footage alone, an officer, a recorder and a local day.
/// </summary>
public sealed class StatisticsDrillDownTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Period = $"from={StatisticsWorld.From}&to={StatisticsWorld.To}";

    private readonly StatisticsWorld _world = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_number_links_to_exactly_the_rows_it_counts()
    {
        var seeded = await _world.SeedAsync();
        var client = seeded.Supervisor;

        var byUnit = await StatisticsWorld.ReportAsync(client, $"{Period}&groupBy=unit");
        await AssertLinksAsync(client, seeded, byUnit.GetProperty("total"), "total", (_, _) => true, _ => true);
        await AssertLinksAsync(client, seeded, Group(byUnit, seeded.District1), "district 1", (f, _) => f.Unit == seeded.District1 || f.Unit == seeded.Station, _ => true);
        await AssertLinksAsync(client, seeded, Group(byUnit, seeded.Bureau), "the bureau alone", (f, _) => f.Unit == seeded.Bureau, _ => false);

        var byOfficer = await StatisticsWorld.ReportAsync(client, $"{Period}&groupBy=officer");
        await AssertLinksAsync(client, seeded, Group(byOfficer, seeded.OfficerA), "officer A", (f, _) => f.Officer == seeded.OfficerA, a => a.Officers.Contains(seeded.OfficerA));

        var byRecorder = await StatisticsWorld.ReportAsync(client, $"{Period}&groupBy=recorder");
        await AssertLinksAsync(client, seeded, Group(byRecorder, seeded.DevD), "recorder D", (f, _) => f.Device == seeded.DevD, null);

        var byDay = await StatisticsWorld.ReportAsync(client, $"{Period}&groupBy=day");
        await AssertLinksAsync(client, seeded, Group(byDay, "2026-03-02"), "2 March", (_, at) => StatisticsWorld.Seeded.LocalDay(at) == "2026-03-02", a => a.LocalDay == "2026-03-02");

        foreach (var byRole in byUnit.GetProperty("viewingsByRole").EnumerateArray())
        {
            var role = byRole.GetProperty("value").GetString()!;
            Assert.Equal(Ids(seeded.Viewings.Where(v => v.Role == role).Select(v => v.SessionId)), await RowsAsync(client, byRole.GetProperty("link").GetString()!));
        }

        foreach (var byReason in byUnit.GetProperty("viewingsByReason").EnumerateArray())
        {
            var reason = byReason.GetProperty("value").GetString()!;
            Assert.Equal(Ids(seeded.Viewings.Where(v => v.Reason == reason).Select(v => v.SessionId)), await RowsAsync(client, byReason.GetProperty("link").GetString()!));
        }
    }

    /// <summary>Follows every link of a group's figures and compares the rows listed with the seeded rows the group holds.</summary>
    private static async Task AssertLinksAsync(
        PlaybackHarness.Client client,
        StatisticsWorld.Seeded seeded,
        JsonElement figures,
        string what,
        Func<(string Unit, string Officer, string Device), DateTimeOffset, bool> inGroup,
        Func<StatisticsWorld.SeededActivity, bool>? activityIn)
    {
        bool Facts(Guid recording, DateTimeOffset at) => inGroup(seeded.RecordingFacts[recording], at);
        var recordings = seeded.Recordings.Where(r => inGroup((r.Unit, r.Officer, r.Device), r.Start)).ToList();
        var activities = seeded.Activities.Where(a => activityIn?.Invoke(a) ?? false).ToList();
        var approvals = seeded.Approvals.Where(a => Facts(a.RecordingId, a.At)).ToList();
        var exports = seeded.Exports.Where(x => x.Recordings.Any(r => Facts(r, x.At))).ToList();
        var findings = seeded.Findings.Where(f => Facts(f.RecordingId, f.At)).ToList();
        var expected = new Dictionary<string, HashSet<string>>
        {
            ["recordings"] = Ids(recordings.Select(r => r.Id)),
            ["recordings.quarantined"] = Ids(recordings.Where(r => r.Quarantined).Select(r => r.Id)),
            ["storageDelay.measured"] = Ids(recordings.Where(r => r.RecorderTime).Select(r => r.Id)),
            ["storageDelay.late"] = Ids(recordings.Where(r => r.DelaySeconds > ExpectedFigures.LateSeconds).Select(r => r.Id)),
            ["viewings"] = Ids(seeded.Viewings.Where(v => Facts(v.RecordingId, v.At)).Select(v => v.SessionId)),
            ["viewApprovals.asked"] = Ids(approvals.Select(a => a.Id)),
            ["viewApprovals.granted"] = Ids(approvals.Where(a => a.State == "approved").Select(a => a.Id)),
            ["viewApprovals.refused"] = Ids(approvals.Where(a => a.State == "denied").Select(a => a.Id)),
            ["viewApprovals.pending"] = Ids(approvals.Where(a => a.State == "requested").Select(a => a.Id)),
            ["exports.requested"] = Ids(exports.Select(x => x.Id)),
            ["exports.approved"] = Ids(exports.Where(x => x.State == "approved").Select(x => x.Id)),
            ["exports.denied"] = Ids(exports.Where(x => x.State == "denied").Select(x => x.Id)),
            ["exports.pending"] = Ids(exports.Where(x => x.State == "requested").Select(x => x.Id)),
            ["exports.downloaded"] = Ids(exports.Where(x => x.Downloaded).Select(x => x.Id)),
            ["dispositions"] = Ids(seeded.Dispositions.Where(d => inGroup((d.Unit, d.Officer, d.Device), d.At)).Select(d => d.RecordingId)),
            ["fixity.findings"] = [.. findings.Select(f => $"{f.RecordingId}/{f.Outcome}")],
            ["fixity.mismatch"] = [.. findings.Where(f => f.Outcome == "mismatch").Select(f => $"{f.RecordingId}/{f.Outcome}")],
            ["fixity.missing"] = [.. findings.Where(f => f.Outcome == "missing").Select(f => $"{f.RecordingId}/{f.Outcome}")],
            ["fixity.unreadable"] = [.. findings.Where(f => f.Outcome == "unreadable").Select(f => $"{f.RecordingId}/{f.Outcome}")],
        };
        if (activityIn is not null)
        {
            expected["fullRecording.activities"] = [.. activities.Select(a => $"{a.CaseNumber}/{a.ExternalId}")];
            expected["fullRecording.complete"] = [.. activities.Where(a => a.Complete).Select(a => $"{a.CaseNumber}/{a.ExternalId}")];
            expected["fullRecording.incomplete"] = [.. activities.Where(a => !a.Complete).Select(a => $"{a.CaseNumber}/{a.ExternalId}")];
            expected["fullRecording.withGaps"] = [.. activities.Where(a => a.Gaps > 0).Select(a => $"{a.CaseNumber}/{a.ExternalId}")];
        }

        var links = figures.GetProperty("links").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        foreach (var (number, rows) in expected)
        {
            Assert.True(links.TryGetValue(number, out var link), $"{what}: {number} has no link ({string.Join(", ", links.Keys)})");
            var listed = await RowsAsync(client, link);
            Assert.True(rows.SetEquals(listed), $"{what}: {number} ({link}) lists [{string.Join(", ", listed)}], by hand [{string.Join(", ", rows)}]");
        }
    }

    /// <summary>The rows a page link lists, read from the API behind that page, as ids (fixity findings as recording/outcome).</summary>
    private static async Task<HashSet<string>> RowsAsync(PlaybackHarness.Client client, string link)
    {
        var (api, id) = link switch
        {
            _ when link.StartsWith("/recordings?", StringComparison.Ordinal) => ("/api/v1/recordings?pageSize=100&" + link["/recordings?".Length..], "recordingId"),
            _ when link.StartsWith("/ledger?", StringComparison.Ordinal) => ("/api/v1/ledger?" + link["/ledger?".Length..], "sessionId"),
            _ when link.StartsWith("/statistics/rows?", StringComparison.Ordinal) => ("/api/v1" + link, ""),
            _ => throw new InvalidOperationException($"A link to no known list: {link}"),
        };
        var response = await client.Http.GetAsync(api, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{api}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        if (id.Length > 0)
        {
            Assert.True(!answer.TryGetProperty("nextPage", out var next) || next.ValueKind == JsonValueKind.Null, $"{api}: more than a page");
            return [.. items.Select(i => i.GetProperty(id).GetString()!)];
        }

        return [.. items.Select(i => i switch
        {
            _ when i.TryGetProperty("externalId", out var external) => $"{i.GetProperty("caseNumber").GetString()}/{external.GetString()}",
            _ when i.TryGetProperty("approvalId", out var approval) => approval.GetString()!,
            _ when i.TryGetProperty("exportId", out var export) => export.GetString()!,
            _ when i.TryGetProperty("disposedAt", out _) => i.GetProperty("recordingId").GetString()!,
            _ => $"{i.GetProperty("recordingId").GetString()}/{i.GetProperty("outcome").GetString()}",
        })];
    }

    private static HashSet<string> Ids(IEnumerable<Guid> ids) => [.. ids.Select(i => i.ToString())];

    private static JsonElement Group(JsonElement report, string key) =>
        report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == key).GetProperty("figures");
}
