using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Records;

namespace Enforcement.Media.Tests.Player.Integrity;

/// <summary>
/// The supervisors' integrity page and its API: fixity findings and quarantined deliveries of the footage they may
/// see, the audit trail's last verification, in both languages and in the display time zone.
/// </summary>
public sealed partial class IntegrityPageTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_supervisor_sees_the_findings_about_their_units_footage_and_not_another_units()
    {
        var unit = await _records.UnitAsync();
        var other = await _records.UnitAsync();
        var (changed, _) = await _records.RecordingAsync(unit, "changed.mp4");
        var (elsewhere, _) = await _records.RecordingAsync(other, "elsewhere.mp4");
        var (repaired, _) = await _records.RecordingAsync(unit, "repaired.mp4");
        await FindingAsync(changed, "mismatch", new DateTimeOffset(2026, 12, 8, 1, 30, 15, TimeSpan.Zero));
        await FindingAsync(elsewhere, "missing", new DateTimeOffset(2026, 12, 8, 1, 30, 16, TimeSpan.Zero));
        await FindingAsync(repaired, "unreadable", new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero));
        await FindingAsync(repaired, "verified", new DateTimeOffset(2026, 12, 8, 2, 0, 0, TimeSpan.Zero)); // read again, whole: no longer a problem
        var quarantined = await QuarantinedAsync(unit, "quarantined.mp4");
        await QuarantinedAsync(other, "quarantined-elsewhere.mp4");
        var (supervisor, _) = await app.SignedInAsync([Roles.Supervisor], unit);

        var page = WebUtility.HtmlDecode(await supervisor.GetStringAsync("/integrity", Token));

        Assert.Equal([changed.RecordingId], Rows(page, "fixity-problem"));
        Assert.Contains("已被改动（哈希不符）", page, StringComparison.Ordinal);
        Assert.Contains("2026-12-08 09:30:15 +08:00", page, StringComparison.Ordinal); // when it was found, in the display zone
        Assert.Equal([quarantined.RecordingId], Rows(page, "quarantined"));
        Assert.DoesNotContain("elsewhere.mp4", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/integrity\"", await supervisor.GetStringAsync("/", Token), StringComparison.Ordinal);
        Assert.DoesNotMatch(UntranslatedKey(), page);

        var (otherSupervisor, _) = await app.SignedInAsync([Roles.Supervisor], other);
        var theirs = WebUtility.HtmlDecode(await otherSupervisor.GetStringAsync("/integrity", Token));
        Assert.Equal([elsewhere.RecordingId], Rows(theirs, "fixity-problem"));
        Assert.DoesNotContain("changed.mp4", theirs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_verification_of_the_audit_trail_is_shown_with_where_it_first_went_wrong()
    {
        var unit = await _records.UnitAsync();
        var (supervisor, _) = await app.SignedInAsync([Roles.Supervisor], unit);
        var verifications = app.Service<AuditVerificationStore>();
        await verifications.RecordAsync(new AuditVerification(1, 30, 30, [], [], []), "user:operator", TimeProvider.System.GetUtcNow(), Token);
        Assert.Matches("data-testid=\"audit-verdict\"[^>]*>通过<", WebUtility.HtmlDecode(await supervisor.GetStringAsync("/integrity", Token)));

        var broken = new AuditVerification(1, 31, 31, [], [new AuditProblem(12, AuditProblemKind.BrokenLink, "prev_hash is not the hash of seq 11"), new AuditProblem(13, AuditProblemKind.HashMismatch, "x")], []);
        await verifications.RecordAsync(broken, "user:operator", TimeProvider.System.GetUtcNow(), Token);
        Assert.Equal(HttpStatusCode.Redirect, (await supervisor.GetAsync("/language/en?returnUrl=%2Fintegrity", Token)).StatusCode);
        var page = WebUtility.HtmlDecode(await supervisor.GetStringAsync("/integrity", Token));

        Assert.Contains("INVALID", page, StringComparison.Ordinal);
        Assert.Contains("seq 12: BrokenLink: prev_hash is not the hash of seq 11 (2 problem(s) in all)", page, StringComparison.Ordinal);
        Assert.Contains("user:operator", page, StringComparison.Ordinal);
        Assert.DoesNotMatch(UntranslatedKey(), page);

        var api = await (await _records.BearerAsync([Roles.Supervisor], unit)).Client.GetStringAsync("/api/v1/integrity", Token);
        using var json = JsonDocument.Parse(api);
        var last = json.RootElement.GetProperty("lastAuditVerification");
        Assert.Equal((false, 12L, "BrokenLink"), (last.GetProperty("valid").GetBoolean(), last.GetProperty("firstProblemSeq").GetInt64(), last.GetProperty("firstProblemKind").GetString()));
        Assert.Matches(@"(Z|[+-]\d\d:\d\d)$", last.GetProperty("finishedAt").GetString()!);
    }

    [Fact]
    public async Task Only_supervisors_reach_the_page_and_see_its_link()
    {
        var unit = await _records.UnitAsync();
        var (reviewer, _) = await app.SignedInAsync([Roles.Reviewer], unit);

        Assert.DoesNotContain("href=\"/integrity\"", await reviewer.GetStringAsync("/", Token), StringComparison.Ordinal);
        Assert.StartsWith("/accounts/denied", (await reviewer.GetAsync("/integrity", Token)).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task FindingAsync(ArchivedRecording recording, string outcome, DateTimeOffset checkedAt)
    {
        await using var connection = await _records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO fixity_checks (run_id, object_id, recording_id, store, object_key, version_id, outcome, expected_sha256,
                                       actual_sha256, expected_size, actual_size, reason, checked_at, duration_ms)
            SELECT @runId, o.id, r.id, o.store, o.object_key, o.version_id, @outcome, o.sha256,
                   CASE WHEN @outcome = 'mismatch' THEN repeat('0', 64) END, o.size_bytes, NULL, 'found by the test', @checkedAt, 1
            FROM recordings r JOIN stored_objects o ON o.id = r.original_object_id
            WHERE r.id = @RecordingId
            """,
            new { runId = Guid.NewGuid(), outcome, checkedAt = checkedAt.UtcDateTime, recording.RecordingId },
            cancellationToken: Token));
    }

    private async Task<ArchivedRecording> QuarantinedAsync(string unit, string name)
    {
        var delivery = new Delivery(SourceKind.Station, "station:DOCK-Q", name, StationId: "DOCK-Q", UnitCode: unit, ClaimedSha256: new string('0', 64));
        return await app.Service<RecordingArchive>().ArchiveAsync(new MemoryStream(Bytes.Random(4096, Random.Shared.Next())), delivery, null, Token);
    }

    private static IReadOnlyList<Guid> Rows(string html, string testId) =>
        [.. Regex.Matches(html, $"data-testid=\"{testId}\" data-recording=\"([0-9a-f-]+)\"").Select(m => Guid.Parse(m.Groups[1].Value))];

    [GeneratedRegex(@">\s*int\.[a-zA-Z\-.]+\s*<")]
    private static partial Regex UntranslatedKey();
}
