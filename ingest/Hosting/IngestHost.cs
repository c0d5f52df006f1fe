using Enforcement.Media.Ingest.Cases;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Fixity;
using Enforcement.Media.Ingest.Jobs;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Uploads;
using Enforcement.Media.Storage;
using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Ingest.Hosting;

/// <summary>Builds the ingest application: configuration, logging, storage and the ingest features.</summary>
internal static class IngestHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddEvidenceLogging(builder.Configuration, "ingest");
        builder.Services.AddEvidenceStorage(builder.Configuration);
        builder.Services.AddJobs();
        builder.Services.AddDocks();
        builder.Services.AddMedia();
        builder.Services.AddUploads();
        builder.Services.AddCaseJobs();
        builder.Services.AddFixity();
        builder.Services.AddHealthChecks().AddEvidenceStorageChecks();
        builder.Services.AddWebEdge();

        var app = builder.Build();
        app.UseWebEdge();
        app.MapHealthChecks("/health");
        app.MapUploads();
        app.MapCases();
        return app;
    }
}
