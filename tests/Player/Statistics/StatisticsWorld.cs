using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Fixity;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Pages;
using Enforcement.Media.Tests.Player.Playback;
using Enforcement.Media.Tests.Player.Records;

namespace Enforcement.Media.Tests.Player.Statistics;

/// <summary>
/// A bureau with two districts and a station, footage, viewings, approvals, exports, dispositions, fixity
/// findings and cases, made through the app's own services and APIs (times then set where each belongs in
/// March 2026), and the same facts written down as plain records, from which the tests count what every
/// figure should be — never by the statistics' own SQL. Days are those of Asia/Shanghai (UTC+8): several
/// rows sit just either side of a local midnight.
/// </summary>
public sealed class StatisticsWorld(PlayerApp app)
{
    /// <summary>The period the tests ask for: three local days.</summary>
    public const string From = "2026-03-01";

    public const string To = "2026-03-03";

    public const int ReviewFootageSize = 4096;

    public const int PlaybackFootageSize = 64 * 1024;

    public const string ReviewReason = "复核案件 reviewing the case";

    public const string LegalReason = "法制审核 legal review";

    public const string RoutineReason = "日常检查 routine check";

    private readonly ReviewWorld _world = new(app);
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    public async Task<Seeded> SeedAsync()
    {
        var bureau = await _world.Records.UnitAsync();
        var district1 = await _world.Records.UnitAsync(bureau);
        var district2 = await _world.Records.UnitAsync(bureau);
        var station = await _world.Records.UnitAsync(district1);
        var elsewhere = await _world.Records.UnitAsync();
        var (officerA, officerB, officerC) = (ReviewWorld.Officer(), ReviewWorld.Officer(), ReviewWorld.Officer());
        var (devA, devB, devC, devD) = (Device(), Device(), Device(), Device());
        var recordings = new List<SeededRecording>();

        async Task<Guid> FootageAsync(string unit, string officer, string device, string start, double seconds, double? storedAfterSeconds, int offset = 0, bool quarantined = false)
        {
            var at = At(start);
            var id = await _world.FootageAsync(unit, officer, device, at, seconds);
            await SqlAsync(
                "UPDATE recordings SET ingested_at = @ingested, recorder_clock_offset_seconds = @offset, quarantine_reason = @reason WHERE id = @id",
                new { id, ingested = at.AddSeconds(storedAfterSeconds ?? 0).UtcDateTime, offset, reason = quarantined ? "station hash did not match" : null });
            recordings.Add(new SeededRecording(id, unit, officer, device, at, true, seconds, ReviewFootageSize, quarantined, storedAfterSeconds - offset));
            return id;
        }

        async Task<Guid> NoClockAsync(string unit, string ingested)
        {
            var footage = await _playback.FootageAsync(unit); // with a rendition, for a reviewer to watch
            await SqlAsync("UPDATE recordings SET ingested_at = @at WHERE id = @id", new { id = footage.RecordingId, at = At(ingested).UtcDateTime });
            recordings.Add(new SeededRecording(footage.RecordingId, unit, "012345", "A100001", At(ingested), false, 0, PlaybackFootageSize, false, null));
            return footage.RecordingId;
        }

        // Cases first, so that footage is linked to their activities as it is probed.
        var caseNumber = ReviewWorld.NewCaseNumber("STAT");
        await _world.CaseAsync(
            district1,
            caseNumber,
            At("2026-02-01T00:00:00Z"),
            new ActivityInput("SEIZE-1", "investigation", "seizure", At("2026-03-01T01:00:00Z"), At("2026-03-01T01:10:00Z"), "某路 1 号", [officerA]),
            new ActivityInput("DEMOLISH-1", "enforcement", "demolition", At("2026-03-02T01:00:00Z"), At("2026-03-02T02:00:00Z"), "某路 2 号", [officerA, officerC]),
            new ActivityInput("INSPECT-1", "investigation", "inspection", At("2026-03-02T03:00:00Z"), At("2026-03-02T04:00:00Z"), "某路 3 号", [officerA]),
            new ActivityInput("ROOM-1", "investigation", "interview_room", At("2026-03-01T00:00:00Z"), At("2026-03-01T00:20:00Z"), "询问室", [officerA]));
        await _world.CaseAsync(
            elsewhere,
            ReviewWorld.NewCaseNumber("ELSE"),
            At("2026-02-01T00:00:00Z"),
            new ActivityInput("SEIZE-X", "investigation", "seizure", At("2026-03-02T01:00:00Z"), At("2026-03-02T01:10:00Z"), "别处", [officerA]));

        var r1 = await FootageAsync(district1, officerA, devA, "2026-03-01T01:00:00Z", 600, 2 * 3600);
        var r2 = await FootageAsync(station, officerA, devA, "2026-03-01T16:30:00Z", 300, 30 * 3600); // 00:30 on 3 March, local
        var r3 = await FootageAsync(district2, officerB, devB, "2026-03-02T15:59:59Z", 120, 3600, quarantined: true); // the last second of 2 March, local
        var r4 = await FootageAsync(bureau, officerB, devC, "2026-03-03T03:00:00Z", 60, 50 * 3600, offset: 60);
        var r5 = await NoClockAsync(district1, "2026-03-02T02:00:00Z");
        var rX = await NoClockAsync(district2, "2026-03-01T03:00:00Z");
        var r10 = await FootageAsync(district1, officerA, devD, "2026-03-01T00:00:00Z", 300, 600);
        var r11 = await FootageAsync(district1, officerA, devD, "2026-03-01T00:10:00Z", 600, 600);

        // Outside: the last second before the period and the first after it (local), another unit's, one disposed of.
        await FootageAsync(district1, officerA, devA, "2026-02-28T15:59:59Z", 60, 60);
        await FootageAsync(district1, officerA, devA, "2026-03-03T16:00:00Z", 60, 60);
        var r8 = await FootageAsync(elsewhere, officerA, devA, "2026-03-02T01:00:00Z", 60, 60);
        var r9 = await FootageAsync(district2, officerB, devB, "2026-03-02T04:00:00Z", 60, 60);
        recordings.RemoveAll(r => r.Start < At("2026-02-28T16:00:00Z") || r.Start >= At("2026-03-03T16:00:00Z") || r.Id == r8 || r.Id == r9);
        var dispositions = new List<(Guid RecordingId, string Unit, string Officer, string Device, DateTimeOffset At)> { (r9, district2, officerB, devB, At("2026-03-02T05:00:00Z")) };
        await SqlAsync(
            "UPDATE recordings SET disposed_at = @at, disposed_by = 'user:records', disposal_reason = 'period ended' WHERE id = @r9",
            new { r9, at = dispositions[0].At.UtcDateTime });

        var supervisor = await _playback.ApiAsync([Roles.Supervisor], bureau);
        var legal = await _playback.ApiAsync([Roles.LegalReviewer], bureau);
        var reviewer = await _playback.ApiAsync([Roles.Reviewer], district2);
        var twoRoles = await _playback.ApiAsync([Roles.Reviewer, Roles.Supervisor], bureau);
        var stranger = await _playback.ApiAsync([Roles.Supervisor], elsewhere);

        // Exports, before anything is classified.
        var (e1, _) = await ExportFlow.ApprovedPackageAsync(legal.Http, supervisor.Http, [r1]);
        var e2 = await ExportFlow.RequestAsync(legal.Http, [r3, r4]);
        Assert.Equal(HttpStatusCode.NoContent, (await ExportFlow.DecideAsync(supervisor.Http, e2, approve: false, "不予批准 refused")).StatusCode);
        var e3 = await ExportFlow.RequestAsync(legal.Http, [rX]);
        var exports = new List<SeededExport>
        {
            new(e1, [r1], "approved", true, At("2026-03-01T06:00:00Z")),
            new(e2, [r3, r4], "denied", false, At("2026-03-02T06:00:00Z")),
            new(e3, [rX], "requested", false, At("2026-03-03T06:00:00Z")),
        };
        foreach (var export in exports)
        {
            await SqlAsync("UPDATE export_requests SET requested_at = @at WHERE id = @id", new { id = export.Id, at = export.At.UtcDateTime });
        }

        // Viewings, then the times they happened.
        var viewings = new List<SeededViewing>();
        async Task ViewAsync(PlaybackHarness.Client who, string role, Guid recording, string reason, string variant, string at)
        {
            var session = (await PlaybackHarness.StartAsync(who, recording, reason, variant)).GetProperty("sessionId").GetGuid();
            await SqlAsync("UPDATE playback_sessions SET started_at = @at WHERE id = @session", new { session, at = At(at).UtcDateTime });
            viewings.Add(new SeededViewing(session, recording, role, reason, At(at)));
        }

        await ViewAsync(supervisor, Roles.Supervisor, r1, ReviewReason, "original", "2026-03-01T02:00:00Z");
        await ViewAsync(legal, Roles.LegalReviewer, r1, LegalReason, "original", "2026-03-02T02:00:00Z");
        await ViewAsync(reviewer, Roles.Reviewer, rX, ReviewReason, "rendition", "2026-03-02T03:00:00Z");
        await ViewAsync(reviewer, Roles.Reviewer, rX, RoutineReason, "rendition", "2026-03-03T03:00:00Z");
        await ViewAsync(twoRoles, Roles.Supervisor, r4, ReviewReason, "original", "2026-03-03T04:00:00Z");
        await ViewAsync(supervisor, Roles.Supervisor, r10, ReviewReason, "original", "2026-02-20T00:00:00Z");
        await ViewAsync(stranger, Roles.Supervisor, r8, ReviewReason, "original", "2026-03-02T02:00:00Z");
        viewings.RemoveAll(v => v.RecordingId == r8 || v.At < At("2026-02-28T16:00:00Z"));

        // Approvals of classified footage.
        foreach (var (id, classification) in new[] { (r1, "personal_privacy"), (r4, "commercial_secret"), (rX, "personal_privacy") })
        {
            var classify = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/recordings/{id}/classification", new { classification, reason = "含个人信息 personal data" });
            Assert.Equal(HttpStatusCode.NoContent, classify.StatusCode);
        }

        var approvals = new List<SeededApproval>();
        async Task<Guid> AskAsync(PlaybackHarness.Client who, Guid recording, string at, bool? approve)
        {
            var asked = await who.PostAsync($"/api/v1/recordings/{recording}/view-approvals", new { reason = "案件复核需要 needed for the review" });
            Assert.True(asked.StatusCode == HttpStatusCode.Created, await asked.Content.ReadAsStringAsync(Token));
            var id = (await asked.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
            if (approve is { } decision)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await supervisor.PostAsync($"/api/v1/view-approvals/{id}/decision", new { approve = decision, reason = "依法决定 decided" })).StatusCode);
            }

            await SqlAsync("UPDATE view_approvals SET requested_at = @at WHERE id = @id", new { id, at = At(at).UtcDateTime });
            approvals.Add(new SeededApproval(id, recording, approve switch { true => "approved", false => "denied", null => "requested" }, At(at)));
            return id;
        }

        await AskAsync(legal, r1, "2026-03-01T05:00:00Z", true);
        await AskAsync(reviewer, rX, "2026-03-02T05:00:00Z", false);
        await AskAsync(legal, r4, "2026-03-03T05:00:00Z", null);
        await AskAsync(legal, r1, "2026-02-25T05:00:00Z", null);
        approvals.RemoveAll(a => a.At < At("2026-02-28T16:00:00Z"));

        // Fixity findings as the fixity job records them (a verified re-read is no finding).
        var findings = new List<SeededFinding>();
        async Task FixityAsync(Guid recording, FixityOutcome outcome, string at)
        {
            await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
            var original = await connection.QuerySingleAsync<(Guid ObjectId, string Store, string Key, string? VersionId, string Sha256, long Size)>(new CommandDefinition(
                "SELECT o.id, o.store, o.object_key, o.version_id, o.sha256, o.size_bytes FROM recordings r JOIN stored_objects o ON o.id = r.original_object_id WHERE r.id = @recording",
                new { recording },
                cancellationToken: Token));
            var target = new FixityTarget(original.ObjectId, recording, new ObjectRef(original.Key, original.VersionId), original.Sha256, original.Size);
            var result = new FixityResult(target, outcome, outcome == FixityOutcome.Mismatch ? new string('0', 64) : null, null, outcome == FixityOutcome.Verified ? null : "seeded", TimeSpan.FromMilliseconds(5));
            await using var transaction = await connection.BeginTransactionAsync(Token);
            await FixityStore.RecordAsync(connection, transaction, Guid.NewGuid(), original.Store, result, At(at), Token);
            await transaction.CommitAsync(Token);
            if (outcome != FixityOutcome.Verified)
            {
                findings.Add(new SeededFinding(recording, outcome.ToString().ToLowerInvariant(), At(at)));
            }
        }

        await FixityAsync(r1, FixityOutcome.Mismatch, "2026-03-02T06:00:00Z");
        await FixityAsync(r3, FixityOutcome.Missing, "2026-03-03T01:00:00Z");
        await FixityAsync(r4, FixityOutcome.Verified, "2026-03-02T00:00:00Z");
        await FixityAsync(r1, FixityOutcome.Unreadable, "2026-03-05T00:00:00Z");
        await FixityAsync(r9, FixityOutcome.Mismatch, "2026-03-01T12:00:00Z");
        findings.RemoveAll(f => f.At >= At("2026-03-03T16:00:00Z"));

        var units = new Dictionary<Guid, (string Unit, string Officer, string Device)>(recordings.Select(r => KeyValuePair.Create(r.Id, (r.Unit, r.Officer, r.Device))))
        {
            [r9] = (district2, officerB, devB),
        };

        // By hand: ROOM-1 and SEIZE-1 start on 1 March, DEMOLISH-1 on 2 March (local); SEIZE-1 is covered whole by r1,
        // ROOM-1 misses 00:05–00:10 between r10 and r11, DEMOLISH-1 has no footage (r2 is the station's, and automatic
        // links never cross units). INSPECT-1 need not be recorded in full; SEIZE-X is another unit's.
        var activities = new List<SeededActivity>
        {
            new(caseNumber, "SEIZE-1", [officerA], "2026-03-01", true, 0),
            new(caseNumber, "DEMOLISH-1", [officerA, officerC], "2026-03-02", false, 1),
            new(caseNumber, "ROOM-1", [officerA], "2026-03-01", false, 1),
        };

        return new Seeded(
            bureau, district1, district2, station, elsewhere, officerA, officerB, officerC, devA, devB, devC, devD,
            supervisor, legal, reviewer, recordings, viewings, approvals, exports, dispositions, findings, activities, units);
    }

    public async Task SqlAsync(string sql, object parameters)
    {
        await using var connection = await _world.Records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: Token));
    }

    /// <summary>The statistics as <paramref name="client"/> asks for them; fails the test on any answer but 200.</summary>
    public static async Task<JsonElement> ReportAsync(PlaybackHarness.Client client, string query)
    {
        var response = await client.Http.GetAsync($"/api/v1/statistics?{query}", Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Token));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    public static string Device() => $"DEV{Random.Shared.Next(1_000_000, 9_999_999)}";

    /// <summary>A recording as seeded: <paramref name="Start"/> is what it is counted by (the recorder's start, or its ingest).</summary>
    public sealed record SeededRecording(
        Guid Id, string Unit, string Officer, string Device, DateTimeOffset Start, bool RecorderTime, double Seconds, long Size, bool Quarantined, double? DelaySeconds);

    public sealed record SeededViewing(Guid SessionId, Guid RecordingId, string Role, string Reason, DateTimeOffset At);

    public sealed record SeededApproval(Guid Id, Guid RecordingId, string State, DateTimeOffset At);

    public sealed record SeededExport(Guid Id, Guid[] Recordings, string State, bool Downloaded, DateTimeOffset At);

    public sealed record SeededFinding(Guid RecordingId, string Outcome, DateTimeOffset At);

    public sealed record SeededActivity(string CaseNumber, string ExternalId, string[] Officers, string LocalDay, bool Complete, int Gaps);

    public sealed record Seeded(
        string Bureau,
        string District1,
        string District2,
        string Station,
        string Elsewhere,
        string OfficerA,
        string OfficerB,
        string OfficerC,
        string DevA,
        string DevB,
        string DevC,
        string DevD,
        PlaybackHarness.Client Supervisor,
        PlaybackHarness.Client Legal,
        PlaybackHarness.Client Reviewer,
        IReadOnlyList<SeededRecording> Recordings,
        IReadOnlyList<SeededViewing> Viewings,
        IReadOnlyList<SeededApproval> Approvals,
        IReadOnlyList<SeededExport> Exports,
        IReadOnlyList<(Guid RecordingId, string Unit, string Officer, string Device, DateTimeOffset At)> Dispositions,
        IReadOnlyList<SeededFinding> Findings,
        IReadOnlyList<SeededActivity> Activities,
        IReadOnlyDictionary<Guid, (string Unit, string Officer, string Device)> RecordingFacts)
    {
        /// <summary>The bureau's group of a unit, by hand: the station rolls up into the first district.</summary>
        public string UnitGroup(string unit) => unit == Station ? District1 : unit;

        /// <summary>The local (UTC+8) day of an instant.</summary>
        public static string LocalDay(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }
}
