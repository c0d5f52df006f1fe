using System.Net;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Recorders;

/// <summary>
/// The recorder register (执法记录仪台账) through its API: entries and their changes, handovers and the
/// history that refuses overlaps, what the deliveries say about each recorder, serials nobody registered,
/// and the unit tree deciding who sees and keeps which recorders — every change audited.
/// </summary>
public sealed class RecorderRegisterTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecorderHarness _recorders = new(app);

    private static CancellationToken Token => RecorderHarness.Token;

    [Fact]
    public async Task A_recorder_is_registered_changed_and_read_back_with_its_serial_in_upper_case_and_each_change_audited()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var serial = RecorderHarness.NewSerial();

        var created = await RecorderHarness.PutAsync(manager, $" {serial.ToLowerInvariant()} ", unit, notes: "发放前已检测 checked");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/recorders/{serial}", created.Headers.Location!.OriginalString);

        var changed = await RecorderHarness.PutAsync(manager, serial.ToLowerInvariant(), unit, "repair", model: "DSJ-T2", notes: "屏幕损坏 screen broken");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var again = await RecorderHarness.PutAsync(manager, serial, unit, "repair", model: "DSJ-T2", notes: "屏幕损坏 screen broken");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var recorder = (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{serial.ToLowerInvariant()}")).GetProperty("recorder");
        Assert.Equal(serial, recorder.GetProperty("serial").GetString());
        Assert.Equal("DSJ-T2", recorder.GetProperty("model").GetString());
        Assert.Equal(unit, recorder.GetProperty("unit").GetString());
        Assert.Equal("repair", recorder.GetProperty("status").GetString());
        Assert.Equal("屏幕损坏 screen broken", recorder.GetProperty("notes").GetString());
        Assert.Equal(0, recorder.GetProperty("recordings").GetInt64());
        Assert.Equal(JsonValueKind.Null, recorder.GetProperty("currentOfficer").ValueKind);

        // Registered, then changed; saving the same entry again changes nothing and is no event.
        var events = await _recorders.EventsAboutAsync(serial);
        Assert.Equal(["recorder.registered", "recorder.updated"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.StartsWith("user:", e.Actor, StringComparison.Ordinal));
        using var changes = JsonDocument.Parse(events[1].Details);
        var status = changes.RootElement.GetProperty("changes").GetProperty("status");
        Assert.Equal(["in_service", "repair"], status.EnumerateArray().Select(s => s.GetString()));
        Assert.False(changes.RootElement.GetProperty("changes").TryGetProperty("unit", out _));
    }

    [Fact]
    public async Task Bad_entries_are_refused_naming_the_field_and_nothing_is_saved()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var before = await _recorders.Records.AllEventsAsync();

        var badStatus = await RecorderHarness.PutAsync(manager, RecorderHarness.NewSerial(), unit, "broken");
        var noDigit = await RecorderHarness.PutAsync(manager, "ABCDEF", unit);
        var noUnit = await RecorderHarness.PutAsync(manager, RecorderHarness.NewSerial(), "NO-SUCH-UNIT");

        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("status", await badStatus.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noDigit.StatusCode);
        Assert.Contains("at least one digit", await noDigit.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noUnit.StatusCode);
        Assert.Contains("there is no unit NO-SUCH-UNIT", await noUnit.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _recorders.Records.AllEventsAsync());
    }

    [Fact]
    public async Task Handovers_make_a_dated_history_and_an_officer_may_hold_two_recorders()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var (first, spare) = (RecorderHarness.NewSerial(), RecorderHarness.NewSerial());
        await RecorderHarness.RegisterAsync(manager, first, unit);
        await RecorderHarness.RegisterAsync(manager, spare, unit);
        var now = RecorderHarness.Now;
        var (t1, t2, t3) = (now.AddDays(-10), now.AddDays(-5), now.AddDays(-2));

        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, first, "110001", t1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, first, "110002", t2)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, first, "110002", t2.AddHours(1))).StatusCode); // already theirs: nothing changes
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, spare, "110002", t3)).StatusCode);

        var detail = await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{first}");
        var history = detail.GetProperty("assignments").EnumerateArray().ToList();
        Assert.Equal(["110002", "110001"], history.Select(a => a.GetProperty("officerId").GetString()));
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("to").ValueKind);
        Assert.Equal(t2.ToUnixTimeMilliseconds(), history[1].GetProperty("to").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(t1.ToUnixTimeMilliseconds(), history[1].GetProperty("from").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.False(history[0].GetProperty("officerKnown").GetBoolean());
        Assert.Equal("110002", detail.GetProperty("recorder").GetProperty("currentOfficer").GetProperty("officerId").GetString());
        var officersRecorders = await RecorderHarness.GetAsync(manager, $"/api/v1/recorders?unit={unit}&q=110002");
        Assert.Equal(new[] { first, spare }.Order(), officersRecorders.EnumerateArray().Select(r => r.GetProperty("serial").GetString()).Order());

        // Taken back: with nobody from then on.
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, first, null, t3)).StatusCode);
        var returned = await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{first}");
        Assert.Equal(JsonValueKind.Null, returned.GetProperty("recorder").GetProperty("currentOfficer").ValueKind);
        Assert.Equal(["recorder.registered", "recorder.assigned", "recorder.assigned", "recorder.returned"], (await _recorders.EventsAboutAsync(first)).Select(e => e.Action));
    }

    [Fact]
    public async Task A_recorder_is_never_with_two_officers_at_once_and_its_history_is_never_rewritten()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var serial = RecorderHarness.NewSerial();
        await RecorderHarness.RegisterAsync(manager, serial, unit);
        var now = RecorderHarness.Now;
        var (t1, t2, t3) = (now.AddDays(-10), now.AddDays(-5), now.AddDays(-2));
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, serial, "120001", t1)).StatusCode);

        // Dated before the current period began.
        var early = await RecorderHarness.AssignAsync(manager, serial, "120002", t1.AddDays(-1));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("has been with officer 120001 since", await early.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        // Taken back at t3, then handed to another from t2: the two periods would overlap.
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, serial, null, t3)).StatusCode);
        var overlapping = await RecorderHarness.AssignAsync(manager, serial, "120002", t2);
        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
        Assert.Contains("never assigned to two officers at once", await overlapping.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        // Not in service; a handover that has not happened yet.
        await RecorderHarness.PutAsync(manager, serial, unit, "repair");
        var inRepair = await RecorderHarness.AssignAsync(manager, serial, "120002", now.AddMinutes(-1));
        Assert.Equal(HttpStatusCode.Conflict, inRepair.StatusCode);
        Assert.Contains("not in service", await inRepair.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await RecorderHarness.AssignAsync(manager, serial, "120002", now.AddDays(1))).StatusCode);

        var history = (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{serial}")).GetProperty("assignments");
        Assert.Equal(1, history.GetArrayLength());

        // The catalogue itself refuses an overlapping period and a rewritten or deleted one, whoever writes.
        await using var connection = await _recorders.Records.Catalogue.OpenConnectionAsync(Token);
        var overlap = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO recorder_assignments (id, serial, officer_id, assigned_from, assigned_by) VALUES (gen_random_uuid(), @serial, '120003', @t2, 'user:test')",
            new { serial, t2 = t2.UtcDateTime },
            cancellationToken: Token)));
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, overlap.SqlState);
        var rewrite = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recorder_assignments SET officer_id = '120009' WHERE serial = @serial", new { serial }, cancellationToken: Token)));
        Assert.Contains("keeps its history", rewrite.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM recorder_assignments WHERE serial = @serial", new { serial }, cancellationToken: Token)));
    }

    [Fact]
    public async Task A_recorder_retired_or_lost_is_taken_back_from_its_officer()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var serial = RecorderHarness.NewSerial();
        await RecorderHarness.RegisterAsync(manager, serial, unit);
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, serial, "130001", RecorderHarness.Now.AddDays(-3))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.PutAsync(manager, serial, unit, "lost", notes: "巡逻中遗失 lost on patrol")).StatusCode);

        var detail = await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{serial}");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("recorder").GetProperty("currentOfficer").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, detail.GetProperty("assignments")[0].GetProperty("to").ValueKind);
        Assert.Equal(["recorder.registered", "recorder.assigned", "recorder.updated", "recorder.returned"], (await _recorders.EventsAboutAsync(serial)).Select(e => e.Action));
    }

    [Fact]
    public async Task Docking_clock_offset_and_recordings_count_come_from_the_recorders_deliveries()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var serial = RecorderHarness.NewSerial();
        await RecorderHarness.RegisterAsync(manager, serial, unit);
        var now = RecorderHarness.Now;
        var (t1, t2, t3, t4) = (now.AddDays(-9), now.AddDays(-6), now.AddDays(-3), now.AddDays(-1));

        await _recorders.DeliveryAsync(unit, serial, SourceKind.Dock, t1, clockOffset: 3);
        await _recorders.DeliveryAsync(unit, serial.ToLowerInvariant(), SourceKind.Station, t2, clockOffset: -2); // the same recorder, as a renamed file spells it
        await _recorders.DeliveryAsync(unit, serial, SourceKind.Dock, t3, clockOffset: null); // docked, clock not measured
        await _recorders.DeliveryAsync(unit, serial, SourceKind.Upload, t4); // a field upload is no docking
        await _recorders.DeliveryAsync(unit, RecorderHarness.NewSerial(), SourceKind.Dock, t4, clockOffset: 40); // another recorder

        var recorder = (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{serial}")).GetProperty("recorder");
        Assert.Equal(4, recorder.GetProperty("recordings").GetInt64());
        Assert.Equal(t1.ToUnixTimeMilliseconds(), recorder.GetProperty("firstDockedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(t3.ToUnixTimeMilliseconds(), recorder.GetProperty("lastDockedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(-2, recorder.GetProperty("lastClockOffsetSeconds").GetInt32());
        Assert.Equal(t2.ToUnixTimeMilliseconds(), recorder.GetProperty("clockMeasuredAt").GetDateTimeOffset().ToUnixTimeMilliseconds());

        var listed = (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders?unit={unit}")).EnumerateArray().Single();
        Assert.Equal(4, listed.GetProperty("recordings").GetInt64());
    }

    [Fact]
    public async Task Serials_that_recordings_carry_but_nobody_registered_are_listed_and_counted_for_the_units_that_see_them()
    {
        var unit = await _recorders.UnitAsync();
        var elsewhere = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var (unknown, registered, foreign) = (RecorderHarness.NewSerial(), RecorderHarness.NewSerial(), RecorderHarness.NewSerial());
        await RecorderHarness.RegisterAsync(manager, registered, unit);
        var now = RecorderHarness.Now;
        await _recorders.DeliveryAsync(unit, unknown.ToLowerInvariant(), SourceKind.Dock, now.AddDays(-4), officer: "140001");
        await _recorders.DeliveryAsync(unit, unknown, SourceKind.Station, now.AddDays(-2), officer: "140002");
        await _recorders.DeliveryAsync(unit, registered, SourceKind.Dock, now.AddDays(-1));
        await _recorders.DeliveryAsync(elsewhere, foreign, SourceKind.Dock, now.AddDays(-1));

        var found = await RecorderHarness.GetAsync(manager, "/api/v1/recorders/unregistered");
        Assert.Equal(1, found.GetProperty("count").GetInt64());
        var item = found.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(unknown, item.GetProperty("serial").GetString());
        Assert.Equal(2, item.GetProperty("recordings").GetInt64());
        Assert.Equal(now.AddDays(-4).ToUnixTimeMilliseconds(), item.GetProperty("firstSeenAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(now.AddDays(-2).ToUnixTimeMilliseconds(), item.GetProperty("lastSeenAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(["140001", "140002"], item.GetProperty("officers").EnumerateArray().Select(o => o.GetString()));

        // The page counts them too; once registered the serial is no longer flagged.
        var (browser, _) = await app.SignedInAsync([Roles.Supervisor], unit);
        var page = await browser.GetStringAsync("/recorders", Token);
        Assert.Contains("data-testid=\"unregistered-count\">1<", page, StringComparison.Ordinal);
        await RecorderHarness.RegisterAsync(manager, unknown.ToLowerInvariant(), unit);
        Assert.Equal(0, (await RecorderHarness.GetAsync(manager, "/api/v1/recorders/unregistered")).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_unit_sees_and_keeps_the_recorders_of_its_sub_units_and_a_sibling_neither_sees_nor_touches_them()
    {
        var parent = await _recorders.UnitAsync();
        var child = await _recorders.UnitAsync(parent);
        var sibling = await _recorders.UnitAsync(parent);
        var childManager = await _recorders.ManagerAsync(child);
        var parentManager = await _recorders.ManagerAsync(parent, Roles.RecordsManager);
        var siblingManager = await _recorders.ManagerAsync(sibling);
        var (childReviewer, _) = await _recorders.Records.BearerAsync([Roles.Reviewer], child);
        var serial = RecorderHarness.NewSerial();
        await RecorderHarness.RegisterAsync(childManager, serial, child);

        Assert.Contains(serial, (await RecorderHarness.GetAsync(parentManager, $"/api/v1/recorders?unit={parent}")).EnumerateArray().Select(r => r.GetProperty("serial").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.PutAsync(parentManager, serial, child, notes: "上级核查 checked by the bureau")).StatusCode);
        Assert.Equal(serial, (await RecorderHarness.GetAsync(childReviewer, $"/api/v1/recorders/{serial}")).GetProperty("recorder").GetProperty("serial").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await siblingManager.GetAsync($"/api/v1/recorders/{serial}", Token)).StatusCode);
        Assert.Empty((await RecorderHarness.GetAsync(siblingManager, $"/api/v1/recorders?q={serial}")).EnumerateArray());
        Assert.DoesNotContain(serial, await siblingManager.GetStringAsync("/api/v1/recorders.csv", Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await RecorderHarness.AssignAsync(siblingManager, serial, "150001", null)).StatusCode);
        var taken = await RecorderHarness.PutAsync(siblingManager, serial, sibling);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("outside yours", await taken.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var intoChild = await RecorderHarness.PutAsync(siblingManager, RecorderHarness.NewSerial(), child);
        Assert.Equal(HttpStatusCode.BadRequest, intoChild.StatusCode);
        Assert.Contains("neither yours nor under yours", await intoChild.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await childManager.GetAsync($"/api/v1/recorders/{RecorderHarness.NewSerial()}", Token)).StatusCode);

        // A reviewer reads the register and keeps none of it.
        Assert.Equal(HttpStatusCode.Forbidden, (await RecorderHarness.PutAsync(childReviewer, serial, child)).StatusCode);
        Assert.Equal(["recorder.registered", "recorder.updated"], (await _recorders.EventsAboutAsync(serial)).Select(e => e.Action));
    }
}
