using System.Net;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Telemetry;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Tests.Telemetry;

/// <summary>
/// The real player on Kestrel with <c>Telemetry:PrometheusPort</c>: a viewing and its ranges move the
/// playback and store metrics on the scrape listener by exactly what was served, under bounded labels
/// only, and the app's own port has no metrics.
/// </summary>
[Collection(nameof(TelemetryCollection))]
public sealed class PlayerMetricsTests(PlayerMetricsTests.MeteredPlayer player) : IClassFixture<PlayerMetricsTests.MeteredPlayer>
{
    private readonly PlaybackHarness _playback = new(player.App);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_viewing_moves_the_playback_and_store_metrics_by_what_was_served()
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit, thumbnails: true);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        var before = await player.Metrics.ScrapeAsync();

        var session = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        using (var first = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/media", "bytes=0-99"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
            Assert.Equal(100, (await first.Content.ReadAsByteArrayAsync(Token)).Length);
        }

        using (var rest = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/media", "bytes=100-"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        }

        using (var poster = await PlaybackHarness.GetAsync(viewer, $"/api/v1/sessions/{session}/poster.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        }

        // A range is counted once its last byte is written, which can be just after the client has it.
        (string, string) media = ("part", "media"), rendition = ("variant", "rendition");
        var after = await player.Metrics.ScrapeUntilAsync(s => Scraper.Moved(before, s, "enforcement_media_playback_ranges_total", rendition) >= 3);
        Assert.Equal(1, Scraper.Moved(before, after, "enforcement_media_playback_sessions_total", rendition));
        Assert.Equal(2, Scraper.Moved(before, after, "enforcement_media_playback_ranges_total", media, rendition));
        Assert.Equal(footage.Rendition.Length, Scraper.Moved(before, after, "enforcement_media_playback_bytes_total", media, rendition));
        Assert.Equal(1, Scraper.Moved(before, after, "enforcement_media_playback_ranges_total", ("part", "poster"), rendition));
        Assert.Equal(3000, Scraper.Moved(before, after, "enforcement_media_playback_bytes_total", ("part", "poster"), rendition));
        Assert.Equal(3, Scraper.Moved(before, after, "enforcement_media_store_operation_duration_seconds_count", ("operation", "open_read"), ("store", "filesystem"), ("outcome", "ok")));

        // Ids and names are in the logs and the ledger, never a label.
        Assert.DoesNotContain(session.ToString(), after.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(footage.RecordingId.ToString(), after.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(viewer.Username, after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scrape_carries_the_frameworks_metrics_too()
    {
        using (var page = await player.App.NewClient().GetAsync("/accounts/login", Token))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // ASP.NET Core counts a request as its answer completes, which can be just after the client has it.
        static bool SignInPage(PrometheusText.Sample s) => s.Labels.GetValueOrDefault("http_route")?.Trim('/') == "accounts/login";
        var scrape = await player.Metrics.ScrapeUntilAsync(s => s.Matching("http_server_request_duration_seconds_count").Any(SignInPage));

        Assert.Contains(scrape.Matching("http_server_request_duration_seconds_count"), SignInPage);
        Assert.NotEmpty(scrape.Matching("db_client_connection_count", ("db_client_connection_pool_name", "catalogue")));
        Assert.NotEmpty(scrape.Matching("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task The_public_port_serves_no_metrics()
    {
        var (admin, _) = await player.App.SignedInAsync([Roles.Admin]);

        using var anonymous = await player.App.NewClient().GetAsync("/metrics", Token);
        using var signedIn = await admin.GetAsync("/metrics", Token);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode); // to the sign-in page, as any unknown path
        Assert.Equal(HttpStatusCode.NotFound, signedIn.StatusCode);
        Assert.DoesNotContain("# TYPE", await signedIn.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.NotEqual(player.App.BaseAddress.Port, player.Listener.Address!.Port);
        Assert.Equal(IPAddress.Loopback.ToString(), player.Listener.Address.Host);
    }

    /// <summary>The player on Kestrel with its scrape listener on a free loopback port.</summary>
    public sealed class MeteredPlayer : IAsyncLifetime
    {
        public PlayerApp App { get; } = new(new Dictionary<string, string> { ["Telemetry:PrometheusPort"] = "0" });

        public PrometheusListener Listener => App.Services.GetRequiredService<PrometheusListener>();

        public Scraper Metrics => new(Listener);

        public ValueTask InitializeAsync() => App.InitializeAsync();

        public ValueTask DisposeAsync() => ((IAsyncDisposable)App).DisposeAsync();
    }
}
