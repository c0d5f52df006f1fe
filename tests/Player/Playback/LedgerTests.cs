using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Ledger;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>The access ledger (调阅台账): every viewing with its reason, watched seconds and bytes; filters; a CSV that cannot run formulas.</summary>
public sealed class LedgerTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_viewing_shows_in_the_ledger_with_its_reason_watched_interval_and_bytes_and_on_the_page()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var supervisor = await _playback.BrowserAsync([Roles.Supervisor], unit);
        var reason = $"复核 {Guid.NewGuid():N}";
        var session = (await PlaybackHarness.StartAsync(viewer, footage.RecordingId, reason)).GetProperty("sessionId").GetGuid();
        await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/media", "bytes=0-999");
        await SeedWatchedAsync(session, 3.2, 11.9);
        Assert.Equal(HttpStatusCode.NoContent, (await viewer.PostAsync($"/api/v1/sessions/{session}/end", null)).StatusCode);

        var ledger = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/ledger?recording={footage.RecordingId}", Token);
        var page = WebUtility.HtmlDecode(await supervisor.Http.GetStringAsync($"/ledger?recording={footage.RecordingId}", Token));

        var item = Assert.Single(ledger.GetProperty("items").EnumerateArray());
        Assert.Equal(session, item.GetProperty("sessionId").GetGuid());
        Assert.Equal(viewer.Username, item.GetProperty("user").GetString());
        Assert.Equal(reason, item.GetProperty("reason").GetString());
        Assert.Equal("rendition", item.GetProperty("variant").GetString());
        Assert.Equal(1000, item.GetProperty("bytesServed").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, item.GetProperty("endedAt").ValueKind);
        var watched = Assert.Single(item.GetProperty("watched").EnumerateArray());
        Assert.Equal((3.2, 11.9), (watched.GetProperty("from").GetDouble(), watched.GetProperty("to").GetDouble()));
        Assert.Contains("00:00:03–00:00:12", page, StringComparison.Ordinal);
        Assert.Contains(reason, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ledger_counts_the_thumbnails_track_as_the_bytes_the_client_received()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit, thumbnails: true);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);

        var track = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/thumbnails.vtt");
        var received = (await track.Content.ReadAsByteArrayAsync(Token)).Length;

        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        Assert.Equal([("thumbnails", 0L, received - 1L)], await _playback.RangesAsync(session));
        var ledger = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/ledger?recording={footage.RecordingId}", Token);
        Assert.Equal(received, Assert.Single(ledger.GetProperty("items").EnumerateArray()).GetProperty("bytesServed").GetInt64());
    }

    [Fact]
    public async Task A_viewing_stays_in_the_ledger_after_the_recording_it_showed_is_disposed_of()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/media", "bytes=0-99");
        await using (var connection = await _playback.Catalogue.OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE recordings SET disposed_at = now() WHERE id = @RecordingId", new { footage.RecordingId }, cancellationToken: Token));
        }

        var ledger = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/ledger?recording={footage.RecordingId}", Token);

        var item = Assert.Single(ledger.GetProperty("items").EnumerateArray());
        Assert.Equal(session, item.GetProperty("sessionId").GetGuid());
        Assert.Equal(100, item.GetProperty("bytesServed").GetInt64());
    }

    [Fact]
    public async Task The_ledger_filters_by_case_user_recording_and_date_and_shows_only_footage_the_supervisor_may_see()
    {
        var unit = await _playback.Records.UnitAsync();
        var other = await _playback.Records.UnitAsync();
        var mine = await _playback.FootageAsync(unit);
        var theirs = await _playback.FootageAsync(other);
        var caseNumber = $"C-{Guid.NewGuid():N}"[..16];
        await LinkAsync(caseNumber, unit, mine.RecordingId);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var outsider = await _playback.ApiAsync([Roles.Reviewer], other);
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, mine.RecordingId);
        var hidden = await PlaybackHarness.SessionAsync(outsider, theirs.RecordingId);

        async Task<List<Guid>> SessionsAsync(string query) =>
            [.. (await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/ledger?{query}", Token)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sessionId").GetGuid())];

        Assert.Equal([session], await SessionsAsync($"case={caseNumber}"));
        Assert.Equal([session], await SessionsAsync($"user={viewer.Username}"));
        Assert.Empty(await SessionsAsync($"user={outsider.Username}"));
        Assert.Empty(await SessionsAsync($"recording={theirs.RecordingId}"));
        Assert.DoesNotContain(hidden, await SessionsAsync(string.Empty));
        Assert.Contains(session, await SessionsAsync($"user={viewer.Username}&from={TimeProvider.System.GetUtcNow():yyyy-MM-dd}&to={TimeProvider.System.GetUtcNow():yyyy-MM-dd}"));
        Assert.Empty(await SessionsAsync($"user={viewer.Username}&to=2000-01-01"));
        var bad = await supervisor.Http.GetAsync("/api/v1/ledger?from=yesterday", Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"from\"", await bad.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var badRecording = await supervisor.Http.GetAsync("/api/v1/ledger?recording=../../etc", Token);
        Assert.Equal(HttpStatusCode.BadRequest, badRecording.StatusCode);
    }

    [Fact]
    public async Task The_csv_has_a_header_row_and_no_cell_a_spreadsheet_would_run_as_a_formula()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        viewer.Http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "@SUM(1+1)");
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], unit);
        await PlaybackHarness.StartAsync(viewer, footage.RecordingId, "=HYPERLINK(\"http://evil/\",\"click\")");

        var response = await supervisor.Http.GetAsync($"/api/v1/ledger.csv?recording={footage.RecordingId}", Token);
        var csv = (await response.Content.ReadAsStringAsync(Token)).TrimStart('\uFEFF');

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("\"sessionId\",\"user\",\"recordingId\",\"caseNumbers\",\"reason\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil/\"\",\"\"click\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"'@SUM(1+1)\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",\"@", lines[1], StringComparison.Ordinal);
        Assert.Equal("\"'-1\"", LedgerCsv.Cell("-1"));
        Assert.Equal("\"'+1\"", LedgerCsv.Cell("+1"));
        Assert.Equal("\"'\tx\"", LedgerCsv.Cell("\tx"));
        Assert.Equal("\"plain\"", LedgerCsv.Cell("plain"));
    }

    [Fact]
    public async Task Per_recording_the_watched_seconds_are_merged_per_user()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var supervisor = await _playback.ApiAsync([Roles.Supervisor], unit);
        var first = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        var second = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        await SeedWatchedAsync(first, 0, 5);
        await SeedWatchedAsync(second, 4, 9);
        await SeedWatchedAsync(second, 20, 25);

        var watched = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{footage.RecordingId}/watched", Token);

        var user = Assert.Single(watched.GetProperty("users").EnumerateArray());
        Assert.Equal(viewer.Username, user.GetProperty("user").GetString());
        Assert.Equal(2, user.GetProperty("sessions").GetInt32());
        Assert.Equal([(0.0, 9.0), (20.0, 25.0)], user.GetProperty("watched").EnumerateArray().Select(w => (w.GetProperty("from").GetDouble(), w.GetProperty("to").GetDouble())).ToList());
        Assert.Equal("00:00:00–00:00:09", new WatchedSpan(0, 9).ToString());
        Assert.Equal("01:00:01–01:00:03", new WatchedSpan(3601.5, 3602.1).ToString());
    }

    private async Task SeedWatchedAsync(Guid session, double from, double to)
    {
        // The heartbeat arithmetic is tested in SessionTests with real heartbeats; here only the ledger's reading of intervals is.
        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO playback_watched (session_id, from_seconds, to_seconds, reported_at) VALUES (@session, @from, @to, now())", new { session, from, to }, cancellationToken: Token));
    }

    /// <summary>A case of the unit with the recording linked to it (what the case system and the linker would make).</summary>
    private Task LinkAsync(string caseNumber, string unit, Guid recordingId) => _playback.LinkToNewCaseAsync(caseNumber, unit, recordingId);
}
