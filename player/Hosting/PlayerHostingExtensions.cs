using System.Globalization;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Exports;
using Enforcement.Media.Player.Integrity;
using Enforcement.Media.Player.Links;
using Enforcement.Media.Player.Localization;
using Enforcement.Media.Player.Markers;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Publications;
using Enforcement.Media.Player.Recorders;
using Enforcement.Media.Player.Recordings;
using Enforcement.Media.Player.Redactions;
using Enforcement.Media.Player.Retention;
using Enforcement.Media.Player.Statistics;
using Enforcement.Media.Storage;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Telemetry;
using Microsoft.AspNetCore.Localization;

namespace Enforcement.Media.Player.Hosting;

internal static class PlayerHostingExtensions
{
    private static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    /// <summary>All of the player's wiring: logging, storage, accounts, pages, health.</summary>
    public static WebApplicationBuilder AddPlayer(this WebApplicationBuilder builder)
    {
        builder.Logging.AddEvidenceLogging(builder.Configuration, "player");
        builder.Services.AddEvidenceStorage(builder.Configuration);
        builder.Services.AddEvidenceTelemetry(builder.Configuration, "player");
        builder.Services.AddHealthChecks().AddEvidenceStorageChecks();
        builder.Services.AddWebEdge();
        builder.Services.AddDisplay();
        builder.Services.AddAccounts();
        builder.Services.AddSingleton<UnitStore>();
        builder.Services.AddSingleton<AdminService>();
        builder.Services.AddAdministration();
        builder.Services.AddRetentionDesk();
        builder.Services.AddJobWorker(PlayerJobDefaults);
        builder.Services.AddExports();
        builder.Services.AddReviewPages();
        builder.Services.AddPlayback();
        builder.Services.AddRedactions();
        builder.Services.AddPublications();
        builder.Services.AddRecorders();
        builder.Services.AddIntegrity();
        builder.Services.AddLinks();
        builder.Services.AddStatistics();
        builder.Services.AddSingleton<Texts>();
        builder.Services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
        // Pages live beside the feature they belong to (Accounts/, Cases/ …), not in a Pages/ folder.
        builder.Services.AddRazorPages(o => o.RootDirectory = "/");
        builder.Services.AddRequestLocalization(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("zh-CN");
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
        });
        return builder;
    }

    /// <summary>
    /// The player's job loop runs export packages only, and keeps what its own export loop did before it
    /// shared the ingest worker's: one package at a time (each streams whole originals), a look for other
    /// instances' approvals every 5 s (an approval here wakes it at once), and a failed build retried
    /// after 30 s, then 60 s. The <c>Jobs</c> keys override these.
    /// </summary>
    private static void PlayerJobDefaults(JobOptions jobs)
    {
        jobs.DefaultConcurrency = 1;
        jobs.PollInterval = TimeSpan.FromSeconds(5);
        jobs.RetryDelay = TimeSpan.FromSeconds(30);
    }

    public static WebApplication MapPlayer(this WebApplication app)
    {
        app.UseWebEdge(PlayerSecurityHeaders.Policy);
        app.UseStatusCodePages();

        // Every cookie (session, antiforgery, language) is Secure on an HTTPS request, which behind a
        // TLS-terminating proxy is one the proxy forwarded as https (ForwardedHeaders:KnownProxies).
        app.UseCookiePolicy(new CookiePolicyOptions { Secure = CookieSecurePolicy.SameAsRequest });
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseMiddleware<RequestActor>();
        app.UseMiddleware<PasswordChangeGate>();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapRetentionEndpoints();
        app.MapDestructionRegisterEndpoints();
        app.MapExportEndpoints();
        app.MapMarkerEndpoints();
        app.MapLinkEndpoints();
        app.MapRecordingSearchEndpoints();
        app.MapPlaybackEndpoints();
        app.MapRedactionEndpoints();
        app.MapPublicationEndpoints();
        app.MapPublicEndpoints();
        app.MapRecorderEndpoints();
        app.MapIntegrityEndpoints();
        app.MapStatisticsEndpoints();
        app.MapRazorPages();
        return app;
    }
}
