using Enforcement.Media.Player.Home;
using Enforcement.Media.Storage;
using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Player.Hosting;

internal static class PlayerHostingExtensions
{
    /// <summary>All of the player's wiring: logging, storage, health.</summary>
    public static WebApplicationBuilder AddPlayer(this WebApplicationBuilder builder)
    {
        builder.Logging.AddEvidenceLogging(builder.Configuration, "player");
        builder.Services.AddEvidenceStorage(builder.Configuration);
        builder.Services.AddHealthChecks().AddEvidenceStorageChecks();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication MapPlayer(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health");
        app.MapHomeEndpoints();
        return app;
    }
}
