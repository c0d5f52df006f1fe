using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>
/// Exports (未经批准不得对外提供): request → a supervisor's approval → a package a recipient verifies with
/// bash, openssl and sha256sum alone → one download by the requester; every step audited.
/// </summary>
public sealed class ExportTests(PlayerApp app) : IClassFixture<PlayerApp>, IDisposable
{
    private readonly RecordsHarness _records = new(app);
    private readonly List<TempFolder> _folders = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_approved_package_verifies_with_the_shipped_script_and_holds_the_byte_exact_originals()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (first, firstBytes) = await _records.RecordingAsync(unit, "A123456_012345_20261122080000_IMP.mp4", 3 * 1024 * 1024 + 17);
        var (second, secondBytes) = await _records.RecordingAsync(unit, "../../证据 现场检查 (1).MP4");
        await _records.CheckpointAsync();

        var (exportId, package) = await ExportFlow.ApprovedPackageAsync(requester, supervisor, [first.RecordingId, second.RecordingId]);
        using var folder = new TempFolder();
        var unpacked = await ExportFlow.UnzipAsync(package, folder, exportId);
        var (exit, output, error) = await ExportFlow.VerifyAsync(unpacked);

        Assert.True(exit == 0, $"verify.sh exited {exit}:\n{output}\n{error}");
        Assert.Contains("VERIFIED", output, StringComparison.Ordinal);
        Assert.Contains("Verified", output + error, StringComparison.OrdinalIgnoreCase);
        var originals = Directory.GetFiles(Path.Combine(unpacked, "originals")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, originals.Length);
        Assert.Equal(firstBytes, await File.ReadAllBytesAsync(originals[0], Token));
        Assert.Equal(secondBytes, await File.ReadAllBytesAsync(originals[1], Token));
        Assert.DoesNotContain("..", Path.GetFileName(originals[1]), StringComparison.Ordinal);

        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(unpacked, "manifest.json"), Token));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == "original").ToList();
        Assert.Equal([first.Sha256.Hex, second.Sha256.Hex], files.Select(f => f.GetProperty("sha256").GetString()));
        Assert.Equal("../../证据 现场检查 (1).MP4", files[1].GetProperty("originalName").GetString());
        Assert.Equal(second.RecordingId, files[1].GetProperty("recordingId").GetGuid());
        Assert.StartsWith("user:", manifest.RootElement.GetProperty("approval").GetProperty("approvedBy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chain_of_custody_ties_the_recordings_events_to_a_signed_checkpoint()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var checkpoint = await _records.CheckpointAsync();

        var (exportId, package) = await ExportFlow.ApprovedPackageAsync(requester, supervisor, [recording.RecordingId]);
        using var folder = new TempFolder();
        var unpacked = await ExportFlow.UnzipAsync(package, folder, exportId);
        var (exit, output, error) = await ExternalCommand.RunAsync("python3", ["verify-chain.py", "custody"], null, unpacked, Token);

        Assert.True(exit == 0, output + error);
        Assert.Contains($"checkpoint seq {checkpoint.Document.Statement.Seq}: signature verified", output, StringComparison.Ordinal);
        var report = await File.ReadAllTextAsync(Path.Combine(unpacked, "custody", "report.txt"), Token);
        Assert.Contains("recording.ingested", report, StringComparison.Ordinal);
        Assert.Contains("export.requested", report, StringComparison.Ordinal);
        Assert.Contains("export.approved", report, StringComparison.Ordinal);
        Assert.Contains($"checkpoint {checkpoint.Document.Statement.Seq}", report, StringComparison.Ordinal);
        Assert.Contains("verified at build", report, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(unpacked, "custody", "checkpoints")));
        var events = await File.ReadAllLinesAsync(Path.Combine(unpacked, "custody", "events.jsonl"), Token);
        Assert.Contains(events, e => e.Contains("\"action\":\"recording.ingested\"", StringComparison.Ordinal) && e.Contains(recording.RecordingId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tampered_original_fails_verification_naming_the_file()
    {
        var unpacked = await BuiltAndUnpackedAsync();
        var original = Directory.GetFiles(Path.Combine(unpacked.Folder, "originals")).Single();
        var bytes = await File.ReadAllBytesAsync(original, Token);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(original, bytes, Token);

        var (exit, output, _) = await ExportFlow.VerifyAsync(unpacked.Folder);

        Assert.Equal(1, exit);
        Assert.Contains($"FAILED: originals/{Path.GetFileName(original)}: FAILED", output, StringComparison.Ordinal);
        Assert.Contains("NOT VERIFIED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_manifest_fails_its_signature()
    {
        var unpacked = await BuiltAndUnpackedAsync();
        var path = Path.Combine(unpacked.Folder, "manifest.json");
        var text = await File.ReadAllTextAsync(path, Token);
        await File.WriteAllTextAsync(path, text.Replace("市司法局", "某公司", StringComparison.Ordinal), Token);

        var (exit, output, _) = await ExportFlow.VerifyAsync(unpacked.Folder);

        Assert.Equal(1, exit);
        Assert.Contains("manifest.json does not match its signature", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_slipped_into_the_package_or_a_rewritten_checksum_list_is_caught()
    {
        var unpacked = await BuiltAndUnpackedAsync();
        await File.WriteAllTextAsync(Path.Combine(unpacked.Folder, "originals", "extra.mp4"), "not exported", Token);
        var sums = Path.Combine(unpacked.Folder, "SHA256SUMS");
        await File.AppendAllTextAsync(sums, $"{new string('0', 64)}  /etc/hostname\n", Token);

        var (exit, output, _) = await ExportFlow.VerifyAsync(unpacked.Folder);

        Assert.Equal(1, exit);
        Assert.Contains("SHA256SUMS was altered", output, StringComparison.Ordinal);
        Assert.Contains("refusing to check files outside the package", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_custody_event_breaks_the_chain_check()
    {
        var unpacked = await BuiltAndUnpackedAsync();
        var segment = Directory.GetFiles(Path.Combine(unpacked.Folder, "custody", "chain")).First();
        var lines = await File.ReadAllLinesAsync(segment, Token);
        lines[0] = lines[0].Replace("\"actor\":\"", "\"actor\":\"x", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(segment, lines, Token);

        var (exit, output, _) = await ExternalCommand.RunAsync("python3", ["verify-chain.py", "custody"], null, unpacked.Folder, Token);
        var (scriptExit, scriptOutput, _) = await ExportFlow.VerifyAsync(unpacked.Folder);

        Assert.Equal(1, exit);
        Assert.Contains("HashMismatch", output, StringComparison.Ordinal);
        Assert.Equal(1, scriptExit);
        Assert.Contains("custody/chain/", scriptOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_package_downloads_once_and_a_second_download_is_gone_and_audited()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var (exportId, package) = await ExportFlow.ApprovedPackageAsync(requester, supervisor, [recording.RecordingId]);

        var again = await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token);

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.DoesNotContain("PK", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.NotNull(await _records.LastEventAsync("export.downloaded", exportId.ToString()));
        Assert.Contains("\"refusal\":\"Gone\"", await _records.LastEventAsync("export.download-refused", exportId.ToString()), StringComparison.Ordinal);
        var export = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}", Token);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package)), export.GetProperty("packageSha256").GetString());
    }

    [Fact]
    public async Task Only_the_requester_may_download_and_others_are_refused_and_audited()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (colleague, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var exportId = await ExportFlow.RequestAsync(requester, [recording.RecordingId]);
        await ExportFlow.DecideAsync(supervisor, exportId, approve: true);
        await ExportFlow.SettledAsync(requester, exportId);

        var byColleague = await colleague.GetAsync($"/api/v1/exports/{exportId}/package", Token);
        var bySupervisor = await supervisor.GetAsync($"/api/v1/exports/{exportId}/package", Token);

        Assert.Equal(HttpStatusCode.Forbidden, byColleague.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bySupervisor.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/v1/exports/{exportId}", Token)).StatusCode);
        Assert.Contains("Only the user who requested", await _records.LastEventAsync("export.download-refused", exportId.ToString()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token)).StatusCode);
    }

    [Fact]
    public async Task Only_roles_that_may_view_originals_may_request_an_export_and_a_reviewer_is_told_why()
    {
        var unit = await _records.UnitAsync();
        var (reviewer, _) = await _records.BearerAsync([Roles.Reviewer], unit);
        var (legal, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (browser, _) = await app.SignedInAsync([Roles.Reviewer], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var before = await _records.AllEventsAsync();

        var refused = await reviewer.PostAsJsonAsync("/api/v1/exports", new { recordings = new[] { recording.RecordingId.ToString() }, reason = "移送 hand over", recipient = "court" }, Token);
        var page = await browser.GetAsync("/exports", Token);
        var nav = await browser.GetStringAsync("/cases", Token);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("your role may not view originals", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(before, await _records.AllEventsAsync());
        Assert.StartsWith("/accounts/denied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/exports\"", nav, StringComparison.Ordinal);
        var byLegal = await ExportFlow.RequestAsync(legal, [recording.RecordingId]);
        var bySupervisor = await ExportFlow.RequestAsync(supervisor, [recording.RecordingId]);
        Assert.Equal("requested", await ExportFlow.StateAsync(legal, byLegal));
        Assert.Equal("requested", await ExportFlow.StateAsync(supervisor, bySupervisor));
    }

    [Fact]
    public async Task A_requester_whose_role_was_reduced_before_the_download_gets_no_package_and_the_refusal_is_audited()
    {
        var unit = await _records.UnitAsync();
        var (requester, user) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var exportId = await ExportFlow.RequestAsync(requester, [recording.RecordingId]);
        await ExportFlow.DecideAsync(supervisor, exportId, approve: true);
        Assert.Equal("ready", (await ExportFlow.SettledAsync(requester, exportId)).GetProperty("state").GetString());
        var accounts = app.Service<AccountService>();
        await accounts.ChangeAsync(user.Id, [Roles.Reviewer], null, null, unit, "user:admin", Token);

        var refused = await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync(Token);
        Assert.Contains("no longer allows viewing originals", body, StringComparison.Ordinal);
        Assert.DoesNotContain("PK", body, StringComparison.Ordinal);
        Assert.Contains("no longer allows viewing originals", await _records.LastEventAsync("export.download-refused", exportId.ToString()), StringComparison.Ordinal);
        Assert.Null(await _records.LastEventAsync("export.downloaded", exportId.ToString()));

        // Refused, not spent: with the role given back, the one download is still there.
        await accounts.ChangeAsync(user.Id, [Roles.LegalReviewer], null, null, unit, "user:admin", Token);
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token)).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_cannot_approve_their_own_request_and_the_attempt_is_audited()
    {
        var unit = await _records.UnitAsync();
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (other, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var exportId = await ExportFlow.RequestAsync(supervisor, [recording.RecordingId]);

        var own = await ExportFlow.DecideAsync(supervisor, exportId, approve: true);

        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal("requested", await ExportFlow.StateAsync(supervisor, exportId));
        Assert.Contains("their own export request", await _records.LastEventAsync("export.decision-refused", exportId.ToString()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await ExportFlow.DecideAsync(other, exportId, approve: true)).StatusCode);
    }

    /// <summary>A legal reviewer's export request, a supervisor of their unit, and one of another unit.</summary>
    private async Task<(HttpClient Requester, HttpClient Own, HttpClient Stranger, Guid ExportId)> RequestWithSupervisorsAsync()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (stranger, _) = await _records.BearerAsync([Roles.Supervisor], await _records.UnitAsync());
        var (own, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        return (requester, own, stranger, await ExportFlow.RequestAsync(requester, [recording.RecordingId]));
    }

    [Fact]
    public async Task A_supervisor_of_another_unit_cannot_decide_and_the_attempt_is_audited()
    {
        var (requester, own, stranger, exportId) = await RequestWithSupervisorsAsync();

        var approve = await ExportFlow.DecideAsync(stranger, exportId, approve: true);
        var deny = await ExportFlow.DecideAsync(stranger, exportId, approve: false);

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deny.StatusCode);
        Assert.Equal("requested", await ExportFlow.StateAsync(requester, exportId));
        Assert.Contains("may not see", await _records.LastEventAsync("export.decision-refused", exportId.ToString()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await ExportFlow.DecideAsync(own, exportId, approve: true)).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_sees_only_the_export_requests_about_their_own_units_footage()
    {
        var (requester, own, stranger, exportId) = await RequestWithSupervisorsAsync();

        static async Task<List<Guid>> PendingAsync(HttpClient supervisor) =>
            [.. (await supervisor.GetFromJsonAsync<JsonElement>("/api/v1/exports/pending", Token)).EnumerateArray().Select(e => e.GetProperty("id").GetGuid())];

        Assert.Contains(exportId, await PendingAsync(own));
        Assert.DoesNotContain(exportId, await PendingAsync(stranger));
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/v1/exports/{exportId}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/exports/{exportId}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/exports/{exportId}", Token)).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.LegalReviewer)]
    [InlineData(Roles.RecordsManager)]
    [InlineData(Roles.Admin)]
    public async Task Only_a_supervisor_may_approve(string role)
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (notSupervisor, _) = await _records.BearerAsync([role], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var exportId = await ExportFlow.RequestAsync(requester, [recording.RecordingId]);
        var before = await _records.AllEventsAsync();

        var response = await ExportFlow.DecideAsync(notSupervisor, exportId, approve: true);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("requested", await ExportFlow.StateAsync(requester, exportId));
        Assert.Equal(before, await _records.AllEventsAsync());
    }

    [Fact]
    public async Task A_denied_export_builds_nothing_and_cannot_be_downloaded()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var exportId = await ExportFlow.RequestAsync(requester, [recording.RecordingId]);

        Assert.Equal(HttpStatusCode.NoContent, (await ExportFlow.DecideAsync(supervisor, exportId, approve: false, "不符合规定 not justified")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ExportFlow.DecideAsync(supervisor, exportId, approve: true)).StatusCode);

        Assert.Equal("denied", await ExportFlow.StateAsync(requester, exportId));
        Assert.Equal(HttpStatusCode.Conflict, (await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token)).StatusCode);
        Assert.Contains("not justified", await _records.LastEventAsync("export.denied", exportId.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_original_altered_in_the_store_fails_the_package_and_nothing_is_handed_out()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var root = app.Service<IOptions<FileSystemStoreOptions>>().Value.Root;
        var file = Path.Combine(root, "objects", "original", recording.Sha256.Hex[..2], recording.Sha256.Hex);
        File.SetAttributes(file, FileAttributes.Normal);
        var bytes = await File.ReadAllBytesAsync(file, Token);
        bytes[0] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes, Token); // as root, past the store: what fixity exists to catch

        var exportId = await ExportFlow.RequestAsync(requester, [recording.RecordingId]);
        await ExportFlow.DecideAsync(supervisor, exportId, approve: true);
        var settled = await ExportFlow.SettledAsync(requester, exportId);

        Assert.Equal("failed", settled.GetProperty("state").GetString());
        Assert.Contains(recording.Sha256.Hex, settled.GetProperty("failure").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token)).StatusCode);
        Assert.NotNull(await _records.LastEventAsync("export.failed", exportId.ToString()));
        await using var connection = await _records.Catalogue.OpenConnectionAsync(Token);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pending_writes WHERE kind = 'export'"));
    }

    [Fact]
    public async Task The_built_package_is_a_locked_object_in_the_evidence_store()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        var (exportId, package) = await ExportFlow.ApprovedPackageAsync(requester, supervisor, [recording.RecordingId]);
        await using var connection = await _records.Catalogue.OpenConnectionAsync(Token);
        var (key, sha256) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT o.object_key, o.sha256 FROM export_requests e JOIN stored_objects o ON o.id = e.package_object_id WHERE e.id = @exportId AND o.kind = 'export'", new { exportId });
        var store = app.Service<IEvidenceStore>();

        var retention = await store.GetRetentionAsync(new ObjectRef(key, null), Token);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package)), sha256);
        Assert.True(retention.RetainUntil >= TimeProvider.System.GetUtcNow().AddDays(3649), $"locked until {retention.RetainUntil:O}");
        await Assert.ThrowsAsync<ObjectLockedException>(() => store.DeleteAsync(new ObjectRef(key, null), Token));
        Assert.Equal(package, await Bytes.ReadAllAsync(await store.OpenReadAsync(new ObjectRef(key, null), null, Token), Token));
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }

    private async Task<(string Folder, TempFolder Temp)> BuiltAndUnpackedAsync()
    {
        var unit = await _records.UnitAsync();
        var (requester, _) = await _records.BearerAsync([Roles.LegalReviewer], unit);
        var (supervisor, _) = await _records.BearerAsync([Roles.Supervisor], unit);
        var (recording, _) = await _records.RecordingAsync(unit);
        await _records.CheckpointAsync();
        var (exportId, package) = await ExportFlow.ApprovedPackageAsync(requester, supervisor, [recording.RecordingId]);
        var temp = new TempFolder();
        _folders.Add(temp);
        return (await ExportFlow.UnzipAsync(package, temp, exportId), temp);
    }
}
