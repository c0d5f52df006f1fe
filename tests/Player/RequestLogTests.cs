using System.Net;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player;

/// <summary>
/// The player's request log (<c>Logs:JsonFile</c>): one compact JSON event per request, naming who asked,
/// the viewing session and the recording, and nothing a request carries that must stay secret.
/// </summary>
public sealed class RequestLogTests(RequestLogTests.LoggedPlayer player) : IClassFixture<RequestLogTests.LoggedPlayer>
{
    private readonly PlaybackHarness _playback = new(player.App);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_range_is_one_request_event_naming_the_user_the_session_and_the_recording()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);

        using var response = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/media", "bytes=0-99");
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);

        var range = await player.Log.RequestAsync("GET", $"/api/v1/sessions/{session}/media");
        Assert.Equal("Information", JsonLog.Property(range, "@l") ?? "Information");
        Assert.Equal("206", JsonLog.Property(range, "StatusCode"));
        Assert.Equal($"user:{viewer.Username}", JsonLog.Property(range, "Actor"));
        Assert.Equal(session.ToString(), JsonLog.Property(range, "SessionId"));
        Assert.Equal(footage.RecordingId.ToString(), JsonLog.Property(range, "RecordingId"));
        Assert.Equal("player", JsonLog.Property(range, "Component"));
        Assert.Contains($"GET /api/v1/sessions/{session}/media responded 206", JsonLog.Property(range, "@m"), StringComparison.Ordinal);

        var started = await player.Log.RequestAsync("POST", $"/api/v1/recordings/{footage.RecordingId}/sessions");
        Assert.Equal(session.ToString(), JsonLog.Property(started, "SessionId"));
        Assert.Equal(footage.RecordingId.ToString(), JsonLog.Property(started, "RecordingId"));
    }

    [Fact]
    public async Task Tokens_passwords_and_query_strings_never_reach_the_log()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        var (browser, user) = await player.App.SignedInAsync([Roles.Reviewer], password: password);
        var (api, _) = await _playback.Records.BearerAsync([Roles.Supervisor]);
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var secret = $"s{Guid.NewGuid():N}";

        using (var ledger = await api.GetAsync($"/api/v1/ledger?user={secret}&access_token={secret}", Token))
        {
            Assert.Equal(HttpStatusCode.OK, ledger.StatusCode);
        }

        using (var page = await browser.GetAsync($"/cases?q={secret}", Token))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var ledgerLine = await player.Log.RequestAsync("GET", "/api/v1/ledger");
        Assert.Equal("200", JsonLog.Property(ledgerLine, "StatusCode"));
        var pageLine = await player.Log.RequestAsync("GET", "/cases");
        Assert.Equal($"user:{user.Username}", JsonLog.Property(pageLine, "Actor"));
        var log = player.Log.Text();
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(password, log, StringComparison.Ordinal);
    }

    /// <summary>The player on Kestrel writing its log to a JSON file in a folder of its own.</summary>
    public sealed class LoggedPlayer : IAsyncLifetime
    {
        private readonly TempFolder _folder = new();

        public LoggedPlayer()
        {
            Log = new JsonLog(_folder.Combine("logs", "player.json"));
            App = new PlayerApp(new Dictionary<string, string> { ["Logs:JsonFile"] = Log.Path });
        }

        public PlayerApp App { get; }

        public JsonLog Log { get; }

        public async ValueTask InitializeAsync() => await App.InitializeAsync();

        public async ValueTask DisposeAsync()
        {
            await ((IAsyncDisposable)App).DisposeAsync();
            _folder.Dispose();
        }
    }
}
