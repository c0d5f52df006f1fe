using System.Net;
using System.Text.Json;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Recorders;

/// <summary>
/// The register as CSV: an import is all or nothing with every problem named by line, the export writes
/// what the ledger writes (no cell a spreadsheet would run as a formula) and imports back unchanged.
/// </summary>
public sealed class RecorderCsvTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecorderHarness _recorders = new(app);

    private static CancellationToken Token => RecorderHarness.Token;

    [Fact]
    public async Task A_register_file_is_imported_whole_and_importing_it_again_changes_nothing()
    {
        var unit = await _recorders.UnitAsync();
        var sub = await _recorders.UnitAsync(unit);
        var manager = await _recorders.ManagerAsync(unit);
        var (a, b, c) = (RecorderHarness.NewSerial(), RecorderHarness.NewSerial(), RecorderHarness.NewSerial());
        var csv = $"""
            Serial,Model,Unit,Status,Notes
            {a},DSJ-V8,{unit},in_service,
            " {b.ToLowerInvariant()} ",DSJ-V8,{sub},IN_SERVICE,"备用机, spare"
            {c},,{unit},repair,"屏幕损坏
            screen broken"
            """;

        var imported = await RecorderHarness.ImportAsync(manager, csv);

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var report = await RecorderHarness.JsonAsync(imported);
        Assert.Equal(3, report.GetProperty("created").GetInt32());
        var spare = (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{b}")).GetProperty("recorder");
        Assert.Equal(sub, spare.GetProperty("unit").GetString());
        Assert.Equal("in_service", spare.GetProperty("status").GetString());
        Assert.Equal("备用机, spare", spare.GetProperty("notes").GetString());
        var broken = (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{c}")).GetProperty("recorder");
        Assert.Equal(JsonValueKind.Null, broken.GetProperty("model").ValueKind);
        Assert.Equal("屏幕损坏\nscreen broken", broken.GetProperty("notes").GetString()!.ReplaceLineEndings("\n"));
        foreach (var serial in new[] { a, b, c })
        {
            var events = await _recorders.EventsAboutAsync(serial);
            Assert.Equal("recorder.registered", Assert.Single(events).Action);
            Assert.Contains("\"via\":\"csv\"", events[0].Details, StringComparison.Ordinal);
        }

        var again = await RecorderHarness.JsonAsync(await RecorderHarness.ImportAsync(manager, csv));
        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task A_file_with_a_duplicate_serial_an_unknown_unit_or_a_bad_status_imports_nothing_and_names_each_line()
    {
        var unit = await _recorders.UnitAsync();
        var other = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var (good, twice, badUnit, badStatus, foreign) = (RecorderHarness.NewSerial(), RecorderHarness.NewSerial(), RecorderHarness.NewSerial(), RecorderHarness.NewSerial(), RecorderHarness.NewSerial());
        var before = await _recorders.Records.AllEventsAsync();
        var csv = $"""
            serial,model,unit,status,notes
            {good},DSJ-V8,{unit},in_service,
            {twice},DSJ-V8,{unit},in_service,
            {twice.ToLowerInvariant()},DSJ-V8,{unit},repair,
            {badUnit},DSJ-V8,NO-SUCH-UNIT,in_service,
            {badStatus},DSJ-V8,{unit},borrowed,
            {foreign},DSJ-V8,{other},in_service,
            """;

        var response = await RecorderHarness.ImportAsync(manager, csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = (await RecorderHarness.JsonAsync(response)).GetProperty("problems").EnumerateArray()
            .Select(p => (Line: p.GetProperty("line").GetInt32(), Field: p.GetProperty("field").GetString(), Message: p.GetProperty("message").GetString()!))
            .ToList();
        Assert.Equal([(4, "serial"), (5, "unit"), (6, "status"), (7, "unit")], problems.Select(p => (p.Line, p.Field)));
        Assert.Contains("first on line 3", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("there is no unit NO-SUCH-UNIT", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("'borrowed' is not a status", problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("neither yours nor under yours", problems[3].Message, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/recorders/{good}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/recorders/{twice}", Token)).StatusCode);
        Assert.Equal(before, await _recorders.Records.AllEventsAsync());

        var noHeader = await RecorderHarness.ImportAsync(manager, $"{good},DSJ-V8,{unit},in_service,\n");
        Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
        Assert.Contains("missing column(s)", await noHeader.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_escapes_formulas_and_imports_back_unchanged()
    {
        var unit = await _recorders.UnitAsync();
        var manager = await _recorders.ManagerAsync(unit);
        var (formula, plain) = (RecorderHarness.NewSerial(), RecorderHarness.NewSerial());
        const string attack = "=HYPERLINK(\"http://evil.example/\",\"点击\")";
        await RecorderHarness.RegisterAsync(manager, formula, unit, notes: attack);
        await RecorderHarness.RegisterAsync(manager, plain, unit, notes: "'quoted on purpose");
        Assert.Equal(HttpStatusCode.OK, (await RecorderHarness.AssignAsync(manager, plain, "160001", RecorderHarness.Now.AddDays(-1))).StatusCode);

        var response = await manager.GetAsync($"/api/v1/recorders.csv?unit={unit}", Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var csv = await response.Content.ReadAsStringAsync(Token);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"serial\",\"model\",\"unit\",\"status\",\"notes\",\"current_officer\"", lines[0], StringComparison.Ordinal);
        var formulaLine = Assert.Single(lines, l => l.StartsWith($"\"{formula}\"", StringComparison.Ordinal));
        Assert.Contains("\"'=HYPERLINK(", formulaLine, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=", csv, StringComparison.Ordinal);
        Assert.Contains("\"160001\"", Assert.Single(lines, l => l.StartsWith($"\"{plain}\"", StringComparison.Ordinal)), StringComparison.Ordinal);

        var reimported = await RecorderHarness.ImportAsync(manager, csv);
        Assert.Equal(HttpStatusCode.OK, reimported.StatusCode);
        var report = await RecorderHarness.JsonAsync(reimported);
        Assert.Equal(2, report.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, report.GetProperty("updated").GetInt32());
        Assert.Equal(attack, (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{formula}")).GetProperty("recorder").GetProperty("notes").GetString());
        Assert.Equal("'quoted on purpose", (await RecorderHarness.GetAsync(manager, $"/api/v1/recorders/{plain}")).GetProperty("recorder").GetProperty("notes").GetString());
    }

    [Fact]
    public async Task A_manager_imports_and_registers_through_the_pages_with_their_antiforgery_tokens()
    {
        var unit = await _recorders.UnitAsync();
        var (browser, _) = await app.SignedInAsync([Enforcement.Media.Player.Accounts.Roles.RecordsManager], unit);
        var serial = RecorderHarness.NewSerial();

        var token = await PlayerApp.AntiforgeryTokenAsync(browser, "/recorders/edit");
        var saved = await browser.PostAsync("/recorders/edit?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Serial"] = serial.ToLowerInvariant(),
            ["Model"] = "DSJ-V8",
            ["Unit"] = unit,
            ["Status"] = "in_service",
            ["Notes"] = string.Empty,
            ["__RequestVerificationToken"] = token,
        }), Token);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/recorders/{serial}", saved.Headers.Location!.OriginalString);

        var detail = await browser.GetStringAsync($"/recorders/{serial}", Token);
        Assert.Contains(serial, detail, StringComparison.Ordinal);
        var assigned = await browser.PostAsync("/recorders/edit?handler=Assign", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Serial"] = serial,
            ["OfficerId"] = "170001",
            ["From"] = string.Empty,
            ["__RequestVerificationToken"] = PlayerApp.AntiforgeryTokenIn(detail, $"/recorders/{serial}"),
        }), Token);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Contains("170001", await browser.GetStringAsync($"/recorders/{serial}", Token), StringComparison.Ordinal);

        var upload = new MultipartFormDataContent
        {
            { new StringContent(await PlayerApp.AntiforgeryTokenAsync(browser, "/recorders/import")), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"serial,model,unit,status,notes\n{serial},DSJ-V9,{unit},in_service,\n")), "Upload", "recorders.csv" },
        };
        var imported = await browser.PostAsync("/recorders/import", upload, Token);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Contains("data-testid=\"imported\"", await imported.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("DSJ-V9", await browser.GetStringAsync("/recorders", Token), StringComparison.Ordinal);
    }
}
