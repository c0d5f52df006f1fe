using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Cases;

/// <summary>Automatic linking and the completeness report over a real catalogue and Ceph RGW.</summary>
public sealed class LinkingAndCompletenessTests : IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    /// <summary>The unit of the cases here and of their footage: automatic links never cross units.</summary>
    private const string Unit = "330100";
    private const string OtherUnit = "330200";
    private static readonly DateTimeOffset Ten = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private readonly CatalogueFixture _catalogue;
    private readonly ArchiveHarness _archive;
    private readonly CasesHarness _cases;

    public LinkingAndCompletenessTests(CatalogueFixture catalogue, S3BucketFixture bucket)
    {
        _catalogue = catalogue;
        _archive = new ArchiveHarness(catalogue, bucket.Store);
        _cases = new CasesHarness(catalogue, bucket.Store);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Officer() => Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A stored recording whose probe found the given duration (probing itself is tested with real ffprobe elsewhere).</summary>
    private async Task<ArchivedRecording> RecordingAsync(string officer, string device, DateTimeOffset start, TimeSpan duration, int clockOffsetSeconds = 0, string? unit = Unit)
    {
        var name = $"{device}_{officer}_{start:yyyyMMddHHmmss}.mp4";
        var delivery = ArchiveHarness.Delivery(name) with { OfficerId = officer, UnitCode = unit, DeviceSerial = device, RecorderStartedAt = start, RecorderClockOffsetSeconds = clockOffsetSeconds };
        var recording = await _archive.Archive.ArchiveAsync(new MemoryStream(Bytes.Random(2048, Random.Shared.Next())), delivery, null, Token);
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(
            """
            INSERT INTO media_probes (recording_id, outcome, media_kind, duration_seconds, stream_count, tool_version, probed_at)
            VALUES (@RecordingId, 'probed', 'video', @seconds, 2, 'test', now());
            UPDATE recordings SET media_state = 'probed' WHERE id = @RecordingId;
            """,
            new { recording.RecordingId, seconds = duration.TotalSeconds });
        return recording;
    }

    private Task<string> CaseAsync(params ActivityInput[] activities) => CaseOfUnitAsync(Unit, activities);

    private async Task<string> CaseOfUnitAsync(string unit, params ActivityInput[] activities)
    {
        var number = $"LNK-{Guid.NewGuid():N}"[..20];
        var submitted = await _cases.Cases.SubmitAsync(new CaseInput(number, unit, "当事人", "强制", CaseStatus.Open, Ten.AddDays(-1), null, null, [], activities), "system:case-system", Token);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        return number;
    }

    private async Task RegisterAsync(string officer, string unit)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        await CaseStore.UpsertOfficerAsync(connection, null, officer, "警员", unit, TimeProvider.System.GetUtcNow(), Token);
    }

    private async Task<IReadOnlyList<Guid>> LinkedAsync(string caseNumber)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        return [.. await connection.QueryAsync<Guid>(
            "SELECT l.recording_id FROM recording_links l JOIN cases c ON c.id = l.case_id WHERE c.case_number = @caseNumber AND l.unlinked_at IS NULL",
            new { caseNumber })];
    }

    private async Task LinkActivitiesAsync(string caseNumber)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        var ids = await connection.QueryAsync<Guid>("SELECT a.id FROM case_activities a JOIN cases c ON c.id = a.case_id WHERE c.case_number = @caseNumber", new { caseNumber });
        foreach (var id in ids)
        {
            await _cases.Linker.LinkActivityAsync(id, Token);
        }
    }

    [Fact]
    public async Task Footage_is_linked_by_officer_and_corrected_time_and_nothing_else()
    {
        var officer = Officer();
        // The recorder's clock runs five minutes slow: by its own clock it started at 09:52.
        var slowClock = await RecordingAsync(officer, "A100001", Ten.AddMinutes(-8), TimeSpan.FromMinutes(20), clockOffsetSeconds: 300);
        var otherOfficer = await RecordingAsync(Officer(), "B200002", Ten, TimeSpan.FromMinutes(20));
        var tooEarly = await RecordingAsync(officer, "A100001", Ten.AddHours(-3), TimeSpan.FromMinutes(10));
        var caseNumber = await CaseAsync(new ActivityInput("S1", "investigation", "seizure", Ten, Ten.AddMinutes(30), "某路", [officer]));

        await LinkActivitiesAsync(caseNumber);

        var report = await _cases.Completeness.ReportAsync(caseNumber, Token);
        var linked = Assert.Single(report.Activities).Recordings.Select(r => r.RecordingId).ToList();
        Assert.Equal([slowClock.RecordingId], linked);
        Assert.DoesNotContain(otherOfficer.RecordingId, linked);
        Assert.DoesNotContain(tooEarly.RecordingId, linked);
        Assert.Equal(Ten.AddMinutes(-3), report.Activities[0].Recordings[0].Start);
    }

    [Fact]
    public async Task Linking_a_recording_after_probing_finds_its_activities_and_is_audited()
    {
        var officer = Officer();
        var caseNumber = await CaseAsync(new ActivityInput("I1", "investigation", "interview", Ten, Ten.AddMinutes(30), "询问室", [officer]));
        var recording = await RecordingAsync(officer, "A100001", Ten.AddMinutes(1), TimeSpan.FromMinutes(10));

        var linked = await _cases.Linker.LinkRecordingAsync(recording.RecordingId, Token);
        var again = await _cases.Linker.LinkRecordingAsync(recording.RecordingId, Token);

        Assert.Equal((1, 0), (linked, again));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'recording.linked' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = 'retention' AND recording_id = @RecordingId", new { recording.RecordingId }));
        Assert.Equal("investigation", (await _cases.Completeness.ReportAsync(caseNumber, Token)).Activities[0].Stage);
    }

    [Fact]
    public async Task Completeness_names_a_deliberately_removed_middle_segment_of_a_recorders_run()
    {
        var officer = Officer();
        var first = await RecordingAsync(officer, "C300003", Ten, TimeSpan.FromMinutes(10));
        await RecordingAsync(officer, "C300003", Ten.AddMinutes(10), TimeSpan.FromMinutes(10)); // the file that will go missing
        var third = await RecordingAsync(officer, "C300003", Ten.AddMinutes(20), TimeSpan.FromMinutes(10));
        await using (var connection = await _catalogue.DataSource.OpenConnectionAsync(Token))
        {
            // The middle file never reached the archive from this recorder: drop its officer so it cannot link.
            await connection.ExecuteAsync("UPDATE recordings SET officer_id = NULL WHERE original_name = @name", new { name = $"C300003_{officer}_{Ten.AddMinutes(10):yyyyMMddHHmmss}.mp4" });
        }

        var caseNumber = await CaseAsync(new ActivityInput("S1", "investigation", "seizure", Ten, Ten.AddMinutes(30), "某路", [officer]));
        await LinkActivitiesAsync(caseNumber);

        var report = await _cases.Completeness.ReportAsync(caseNumber, Token);

        var activity = Assert.Single(report.Activities);
        Assert.True(activity.RequiresFullRecording);
        Assert.False(report.Complete);
        var gap = Assert.Single(activity.Gaps);
        Assert.Equal((Ten.AddMinutes(10), Ten.AddMinutes(20)), (gap.From, gap.To));
        Assert.Equal([first.RecordingId, third.RecordingId], activity.Recordings.Select(r => r.RecordingId));
        Assert.Equal("C300003", gap.DeviceSerial);
        Assert.Equal($"C300003_{officer}_{Ten:yyyyMMddHHmmss}.mp4", gap.FileBefore);
        Assert.Equal($"C300003_{officer}_{Ten.AddMinutes(20):yyyyMMddHHmmss}.mp4", gap.FileAfter);
        Assert.Equal(0.6667, activity.CoverageRatio, 3);
    }

    [Fact]
    public async Task Completeness_reports_a_partial_recording_of_a_seizure_at_both_ends()
    {
        var officer = Officer();
        await RecordingAsync(officer, "D400004", Ten.AddMinutes(5), TimeSpan.FromMinutes(15));
        var caseNumber = await CaseAsync(
            new ActivityInput("S1", "enforcement", "seizure", Ten, Ten.AddMinutes(30), "仓库", [officer]),
            new ActivityInput("N1", "service", "service", Ten.AddHours(2), Ten.AddHours(2).AddMinutes(5), "当事人住所", [officer]));
        await LinkActivitiesAsync(caseNumber);

        var report = await _cases.Completeness.ReportAsync(caseNumber, Token);

        var seizure = report.Activities.Single(a => a.ExternalId == "S1");
        Assert.Equal(
            [(Ten, Ten.AddMinutes(5)), (Ten.AddMinutes(20), Ten.AddMinutes(30))],
            seizure.Gaps.Select(g => (g.From, g.To)));
        Assert.All(seizure.Gaps, g => Assert.Equal("no footage", g.Reason));
        var service = report.Activities.Single(a => a.ExternalId == "N1");
        Assert.False(service.RequiresFullRecording);
        Assert.Empty(service.Gaps);
        Assert.False(report.Complete);
    }

    [Fact]
    public async Task Moving_an_activity_unlinks_footage_it_no_longer_covers_with_the_reason()
    {
        var officer = Officer();
        var recording = await RecordingAsync(officer, "E500005", Ten, TimeSpan.FromMinutes(10));
        var activity = new ActivityInput("H1", "notice_hearing", "hearing", Ten, Ten.AddMinutes(30), "听证室", [officer]);
        var caseNumber = await CaseAsync(activity);
        await LinkActivitiesAsync(caseNumber);

        await _cases.Cases.SubmitAsync(new CaseInput(caseNumber, Unit, "当事人", "强制", CaseStatus.Open, Ten.AddDays(-1), null, null, [], [activity with { StartsAt = Ten.AddDays(1), EndsAt = Ten.AddDays(1).AddHours(1) }]), "system:case-system", Token);
        await LinkActivitiesAsync(caseNumber);

        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        var reason = await connection.ExecuteScalarAsync<string>("SELECT unlink_reason FROM recording_links WHERE recording_id = @RecordingId AND unlinked_at IS NOT NULL", new { recording.RecordingId });
        Assert.Contains("no longer overlaps", reason, StringComparison.Ordinal);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'recording.unlinked' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
    }

    [Fact]
    public async Task A_case_of_one_unit_naming_an_officer_of_another_gets_its_own_units_footage_and_never_the_others()
    {
        var (ours, theirs) = (Officer(), Officer());
        var ourFootage = await RecordingAsync(ours, "G700007", Ten, TimeSpan.FromMinutes(10));
        var theirFootage = await RecordingAsync(theirs, "H800008", Ten, TimeSpan.FromMinutes(10), unit: OtherUnit);
        var caseNumber = await CaseAsync(new ActivityInput("S1", "investigation", "seizure", Ten, Ten.AddMinutes(30), "某路", [ours, theirs]));

        await LinkActivitiesAsync(caseNumber);
        var fromTheirRecording = await _cases.Linker.LinkRecordingAsync(theirFootage.RecordingId, Token);

        Assert.Equal([ourFootage.RecordingId], await LinkedAsync(caseNumber));
        Assert.Equal(0, fromTheirRecording);
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'recording.linked' AND subject_id = @Id", new { Id = theirFootage.RecordingId.ToString() }));

        // What the link would have done: shown the other unit's footage to this unit's reviewers.
        var reviewer = new Viewer(Guid.NewGuid(), "user:reviewer", Unit);
        Assert.Equal([ourFootage.RecordingId], await RecordingVisibility.VisibleAsync(connection, null, reviewer, [ourFootage.RecordingId, theirFootage.RecordingId], Token));
    }

    [Fact]
    public async Task A_recording_of_no_unit_is_linked_when_its_officer_is_registered_with_the_cases_unit()
    {
        var officer = Officer();
        await RegisterAsync(officer, Unit);
        var unitless = await RecordingAsync(officer, "J900009", Ten, TimeSpan.FromMinutes(10), unit: null);
        var caseNumber = await CaseAsync(new ActivityInput("S1", "investigation", "seizure", Ten, Ten.AddMinutes(30), "某路", [officer]));

        var linked = await _cases.Linker.LinkRecordingAsync(unitless.RecordingId, Token);

        Assert.Equal(1, linked);
        Assert.Equal([unitless.RecordingId], await LinkedAsync(caseNumber));
    }

    [Fact]
    public async Task A_recording_of_no_unit_is_not_linked_when_its_officer_is_registered_with_another_unit_or_not_at_all()
    {
        var (elsewhere, unregistered, registeredHere) = (Officer(), Officer(), Officer());
        await RegisterAsync(elsewhere, OtherUnit);
        await RegisterAsync(registeredHere, Unit);
        var ofOtherUnitsOfficer = await RecordingAsync(elsewhere, "K100010", Ten, TimeSpan.FromMinutes(10), unit: null);
        var ofUnknownOfficer = await RecordingAsync(unregistered, "K100011", Ten, TimeSpan.FromMinutes(10), unit: null);

        // Its own unit decides before the registry does.
        var ownUnitElsewhere = await RecordingAsync(registeredHere, "K100012", Ten, TimeSpan.FromMinutes(10), unit: OtherUnit);
        var caseNumber = await CaseAsync(new ActivityInput("S1", "investigation", "seizure", Ten, Ten.AddMinutes(30), "某路", [elsewhere, unregistered, registeredHere]));

        await LinkActivitiesAsync(caseNumber);
        var fromRecordings = 0;
        foreach (var recording in new[] { ofOtherUnitsOfficer, ofUnknownOfficer, ownUnitElsewhere })
        {
            fromRecordings += await _cases.Linker.LinkRecordingAsync(recording.RecordingId, Token);
        }

        Assert.Empty(await LinkedAsync(caseNumber));
        Assert.Equal(0, fromRecordings);
    }

    [Fact]
    public async Task An_automatic_link_across_units_made_before_the_rule_is_removed_with_the_reason_when_its_activity_is_relinked()
    {
        var officer = Officer();
        var theirs = await RecordingAsync(officer, "L110011", Ten, TimeSpan.FromMinutes(10), unit: OtherUnit);
        var caseNumber = await CaseAsync(new ActivityInput("S1", "investigation", "seizure", Ten, Ten.AddMinutes(30), "某路", [officer]));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        var activityId = await connection.ExecuteScalarAsync<Guid>("SELECT a.id FROM case_activities a JOIN cases c ON c.id = a.case_id WHERE c.case_number = @caseNumber", new { caseNumber });
        await using (var transaction = await connection.BeginTransactionAsync(Token))
        {
            // As the linker linked before automatic links kept to the case's unit.
            Assert.NotNull(await LinkStore.LinkAutomaticallyAsync(connection, transaction, theirs.RecordingId, (await CaseStore.ActivityAsync(connection, transaction, activityId, Token))!, TimeProvider.System.GetUtcNow(), Token));
            await transaction.CommitAsync(Token);
        }

        var (linked, unlinked) = await _cases.Linker.LinkActivityAsync(activityId, Token);

        Assert.Equal((0, 1), (linked, unlinked));
        Assert.Empty(await LinkedAsync(caseNumber));
        var reason = await connection.ExecuteScalarAsync<string>("SELECT unlink_reason FROM recording_links WHERE recording_id = @RecordingId AND unlinked_at IS NOT NULL", new { theirs.RecordingId });
        Assert.Equal($"automatic links never cross units: the recording is of unit {OtherUnit}, the case of unit {Unit}", reason);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action = 'recording.unlinked' AND subject_id = @Id", new { Id = theirs.RecordingId.ToString() }));
    }

    [Fact]
    public async Task A_case_moved_to_another_unit_has_every_activity_relinked_and_loses_its_old_units_footage()
    {
        var officer = Officer();
        var recording = await RecordingAsync(officer, "M120012", Ten, TimeSpan.FromMinutes(10));
        var activities = new[]
        {
            new ActivityInput("S1", "investigation", "seizure", Ten, Ten.AddMinutes(30), "某路", [officer]),
            new ActivityInput("N1", "service", "service", Ten.AddHours(2), Ten.AddHours(2).AddMinutes(5), "当事人住所", [officer]),
        };
        var caseNumber = await CaseAsync(activities);
        await LinkActivitiesAsync(caseNumber);
        Assert.Equal([recording.RecordingId], await LinkedAsync(caseNumber));
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        const string queued = """
            SELECT count(*) FROM jobs j JOIN case_activities a ON a.id = (j.payload ->> 'activityId')::uuid JOIN cases c ON c.id = a.case_id
            WHERE j.kind = 'link-activity' AND c.case_number = @caseNumber
            """;
        var before = await connection.ExecuteScalarAsync<int>(queued, new { caseNumber });

        var moved = await _cases.Cases.SubmitAsync(new CaseInput(caseNumber, OtherUnit, "当事人", "强制", CaseStatus.Open, Ten.AddDays(-1), null, null, [], activities), "system:case-system", Token);
        await LinkActivitiesAsync(caseNumber);

        Assert.Equal(CaseSubmissionOutcome.Updated, moved.Outcome);
        Assert.Equal(before + activities.Length, await connection.ExecuteScalarAsync<int>(queued, new { caseNumber }));
        Assert.Empty(await LinkedAsync(caseNumber));
    }

    [Fact]
    public async Task A_reviewer_links_and_unlinks_by_hand_only_with_a_reason_and_the_link_stays_on_record()
    {
        var recording = await RecordingAsync(Officer(), "F600006", Ten, TimeSpan.FromMinutes(1));
        var caseNumber = await CaseAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _cases.Linker.LinkManuallyAsync(recording.RecordingId, caseNumber, null, "user:reviewer", "   ", Token));
        var linkId = await _cases.Linker.LinkManuallyAsync(recording.RecordingId, caseNumber, "decision", "user:reviewer", "officer forgot to tag it", Token);
        await Assert.ThrowsAsync<ArgumentException>(() => _cases.Linker.UnlinkAsync(linkId, "user:reviewer", "", Token));
        Assert.True(await _cases.Linker.UnlinkAsync(linkId, "user:reviewer", "wrong case", Token));
        Assert.False(await _cases.Linker.UnlinkAsync(linkId, "user:reviewer", "again", Token));

        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(("user:reviewer", "wrong case"), await connection.QuerySingleAsync<(string, string)>("SELECT unlinked_by, unlink_reason FROM recording_links WHERE id = @linkId", new { linkId }));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_outbox WHERE action IN ('recording.linked', 'recording.unlinked') AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
    }
}
