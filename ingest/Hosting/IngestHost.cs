using Enforcement.Media.Ingest.Alerts;
using Enforcement.Media.Ingest.Cases;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Fixity;
using Enforcement.Media.Ingest.Jobs;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Uploads;
using Enforcement.Media.Storage;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Telemetry;

namespace Enforcement.Media.Ingest.Hosting;

/// <summary>Builds the ingest application: configuration, logging, storage and the ingest features.</summary>
internal static class IngestHost
{
    /// <summary>
    /// The ingest app answers machines (stations, phones, the case system), never a page: no answer may
    /// load, run or frame anything, be read as another content type, or be kept by a cache — a receipt or
    /// an upload's offset is true only at the moment it is given. An endpoint's own Cache-Control stays.
    /// </summary>
    private static readonly SecurityHeaderPolicy ApiHeaders = new("default-src 'none'; frame-ancestors 'none'", "no-store");

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddEvidenceLogging(builder.Configuration, "ingest");
        builder.Services.AddEvidenceStorage(builder.Configuration);
        builder.Services.AddEvidenceTelemetry(builder.Configuration, "ingest");
        builder.Services.AddJobs();
        builder.Services.AddDocks();
        builder.Services.AddMedia();
        builder.Services.AddUploads();
        builder.Services.AddCaseJobs();
        builder.Services.AddFixity();
        builder.Services.AddAlerts();
        builder.Services.AddHealthChecks().AddEvidenceStorageChecks();
        builder.Services.AddWebEdge();

        var app = builder.Build();
        app.UseWebEdge(ApiHeaders);
        app.MapHealthChecks("/health");
        app.MapUploads();
        app.MapCases();
        return app;
    }
}
