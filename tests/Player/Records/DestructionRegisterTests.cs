using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>
/// Disposition by two records managers through <c>/api/v1/retention/disposition</c>, and the destruction
/// register (销毁清册) it writes: as JSON, as CSV with its columns and escaping, and as the printable page.
/// </summary>
public sealed class DestructionRegisterTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RecordsHarness _records = new(app);

    private static CancellationToken Token => RecordsHarness.Token;

    private static string Today => TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_approved_disposition_is_in_the_register_with_both_records_managers_and_a_refused_one_is_not()
    {
        var (alice, aliceUser) = await _records.BearerAsync([Roles.RecordsManager]);
        var (bob, bobUser) = await _records.BearerAsync([Roles.RecordsManager]);
        var approved = await _records.DueRecordingAsync(null, $"现场执法_{Guid.NewGuid():N}.mp4");
        var refused = await _records.DueRecordingAsync(null);
        var caseNumber = await ArchivedCaseAsync(approved.RecordingId);

        var proposal = await alice.PostAsJsonAsync($"/api/v1/retention/disposition/{approved.RecordingId}/proposal", new { reason = "保存期满 period over" }, Token);
        Assert.Equal(HttpStatusCode.Created, proposal.StatusCode);
        var entryId = (await proposal.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("entryId").GetGuid();
        Assert.Equal($"/api/v1/retention/disposition/proposals/{entryId}", proposal.Headers.Location!.OriginalString);

        var byProposer = await alice.PostAsJsonAsync($"/api/v1/retention/disposition/proposals/{entryId}/approve", new { reason = "mine, approved by me" }, Token);
        Assert.Equal(HttpStatusCode.Forbidden, byProposer.StatusCode);
        Assert.Contains("a second records manager", await byProposer.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.NotNull(await app.Service<IEvidenceStore>().HeadAsync(approved.Location, Token));
        Assert.Equal($"user:{aliceUser.Username}", await _records.LastActorAsync("disposition.approval-refused", approved.RecordingId.ToString()));

        var bySecond = await bob.PostAsJsonAsync($"/api/v1/retention/disposition/proposals/{entryId}/approve", new { reason = "同意销毁 agreed" }, Token);
        Assert.Equal(HttpStatusCode.OK, bySecond.StatusCode);
        Assert.Equal("disposed", (await bySecond.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("outcome").GetString());
        Assert.Null(await app.Service<IEvidenceStore>().HeadAsync(approved.Location, Token));

        var refusedEntry = (await (await alice.PostAsJsonAsync($"/api/v1/retention/disposition/{refused.RecordingId}/proposal", new { reason = "period over" }, Token))
            .Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("entryId").GetGuid();
        var refusal = await bob.PostAsJsonAsync($"/api/v1/retention/disposition/proposals/{refusedEntry}/refuse", new { reason = "keep: a complaint is pending" }, Token);
        Assert.Equal(HttpStatusCode.OK, refusal.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await bob.PostAsJsonAsync($"/api/v1/retention/disposition/proposals/{refusedEntry}/approve", new { reason = "changed my mind" }, Token)).StatusCode);
        Assert.NotNull(await app.Service<IEvidenceStore>().HeadAsync(refused.Location, Token));

        var register = await alice.GetFromJsonAsync<JsonElement>($"/api/v1/retention/destruction-register?from={Today}&to={Today}", Token);
        var items = register.GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(items, i => i.GetProperty("recordingId").GetGuid() == refused.RecordingId);
        var entry = Assert.Single(items, i => i.GetProperty("recordingId").GetGuid() == approved.RecordingId);
        Assert.Equal(
            (approved.Sha256.Hex, approved.Size, $"user:{aliceUser.Username}", "保存期满 period over", $"user:{bobUser.Username}", "同意销毁 agreed"),
            (Text(entry, "sha256"), entry.GetProperty("sizeBytes").GetInt64(), Text(entry, "proposedBy"), Text(entry, "proposalReason"), Text(entry, "approvedBy"), Text(entry, "approvalReason")));
        Assert.Equal([caseNumber], entry.GetProperty("caseNumbers").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["original"], entry.GetProperty("deletedObjects").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains($"case {caseNumber} archived", Text(entry, "retentionRule"), StringComparison.Ordinal);
        Assert.Contains("no longer has it", Text(entry, "storeConfirmation"), StringComparison.Ordinal);

        // The page prints it (A4, Chinese headings by default) with both names.
        var (browser, _) = await app.SignedInAsync([Roles.RecordsManager]);
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/retention/register?from={Today}&to={Today}", Token));
        Assert.Contains("音视频资料销毁清册", page, StringComparison.Ordinal);
        Assert.Contains("提请人、时间、理由", page, StringComparison.Ordinal);
        Assert.Contains("批准人、时间、理由", page, StringComparison.Ordinal);
        var row = page[page.IndexOf($"data-recording=\"{approved.RecordingId}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains($"user:{aliceUser.Username}", row, StringComparison.Ordinal);
        Assert.Contains($"user:{bobUser.Username}", row, StringComparison.Ordinal);
        Assert.Contains(approved.Sha256.Hex, row, StringComparison.Ordinal);
        Assert.DoesNotContain(refused.RecordingId.ToString(), page, StringComparison.Ordinal);
        var css = await File.ReadAllTextAsync(Repository.PathOf("player", "wwwroot", "css", "site.css"), Token);
        Assert.Contains("@page { size: A4 landscape;", css, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_register_csv_names_its_columns_and_keeps_commas_quotes_new_lines_chinese_and_formulas_as_typed()
    {
        const string name = "=HYPERLINK(\"x\") 现场,执法 \"甲\"\n第二行.mp4";
        const string reason = "保存期满, \"到期\"\n第二行 理由";
        var recording = await _records.DueRecordingAsync(null, name);
        var disposition = app.Service<DispositionService>();
        var entryId = (await disposition.ProposeAsync(recording.RecordingId, "user:alice", reason, Token)).EntryId!.Value;
        Assert.Equal("disposed", (await disposition.ApproveAsync(entryId, "user:bob", "-1 agreed", Token))!.Outcome);
        var (manager, _) = await _records.BearerAsync([Roles.RecordsManager]);

        var response = await manager.GetAsync($"/api/v1/retention/destruction-register.csv?from={Today}&to={Today}", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Token);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = new List<IReadOnlyList<string>>();
        await foreach (var record in CsvRecords.ReadAsync(new StringReader(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3)), Token))
        {
            rows.Add(record.Fields);
        }

        Assert.Equal(
            ["disposed_at", "recording_id", "original_name", "sha256", "size_bytes", "case_numbers", "retention_class", "retention_rule", "retained_until",
             "proposed_by", "proposed_at", "proposal_reason", "approved_by", "approved_at", "approval_reason", "deleted_objects", "store_confirmation"],
            rows[0]);
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
        var row = Assert.Single(rows, r => r[1] == recording.RecordingId.ToString());
        var cell = rows[0].Select((column, index) => (column, index)).ToDictionary(c => c.column, c => row[c.index]);
        Assert.Equal("'" + name, cell["original_name"]); // a spreadsheet would run it: escaped, the text kept
        Assert.Equal(reason, cell["proposal_reason"]);
        Assert.Equal("'-1 agreed", cell["approval_reason"]);
        Assert.Equal(("user:alice", "user:bob"), (cell["proposed_by"], cell["approved_by"]));
        Assert.Equal((recording.Sha256.Hex, recording.Size.ToString(CultureInfo.InvariantCulture), "routine", "original"), (cell["sha256"], cell["size_bytes"], cell["retention_class"], cell["deleted_objects"]));
        Assert.True(DateTimeOffset.TryParse(cell["disposed_at"], CultureInfo.InvariantCulture, out _), cell["disposed_at"]);
        Assert.Contains("\"=HYPERLINK(\"\"x\"\") 现场,执法 \"\"甲\"\"\n第二行.mp4\"".Replace("\"=", "\"'=", StringComparison.Ordinal), Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=2026-03-02&to=2026-03-01", "to")]
    [InlineData("from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z", "to")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    public async Task A_period_that_ends_before_it_starts_or_does_not_parse_is_refused_naming_the_parameter(string query, string field)
    {
        var (manager, _) = await _records.BearerAsync([Roles.RecordsManager]);
        var (browser, _) = await app.SignedInAsync([Roles.RecordsManager]);

        var json = await manager.GetAsync($"/api/v1/retention/destruction-register?{query}", Token);
        var csv = await manager.GetAsync($"/api/v1/retention/destruction-register.csv?{query}", Token);
        var page = await browser.GetAsync($"/retention/register?{query}", Token);

        foreach (var response in new[] { json, csv })
        {
            var body = await response.Content.ReadAsStringAsync(Token);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        }

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("data-testid=\"error\"", await page.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/retention/destruction-register?from={Today}&to={Today}", Token)).StatusCode);
    }

    /// <summary>An archived case the recording is linked to: it stays eligible, and the register names the case.</summary>
    private async Task<string> ArchivedCaseAsync(Guid recordingId)
    {
        var caseNumber = $"ARC-{Guid.NewGuid():N}"[..24];
        var now = TimeProvider.System.GetUtcNow();
        var submitted = await app.Service<CaseService>().SubmitAsync(
            new CaseInput(caseNumber, null, "档案", "urban_management", CaseStatus.Archived, now.AddYears(-40), now.AddYears(-39), now.AddYears(-31), [], []), "system:case-system", Token);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems.Select(p => p.Message)));
        await app.Service<RecordingLinker>().LinkManuallyAsync(recordingId, caseNumber, null, "user:reviewer", "evidence of that case", Token);
        return caseNumber;
    }

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString() ?? string.Empty;
}
