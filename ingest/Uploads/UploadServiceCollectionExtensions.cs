using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Stations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Enforcement.Media.Ingest.Uploads;

public static class UploadServiceCollectionExtensions
{
    /// <summary>The tus server's parts, the API keys it authenticates with, and the <c>archive-upload</c> job.</summary>
    public static IServiceCollection AddUploads(this IServiceCollection services)
    {
        services.AddOptions<UploadOptions>()
            .BindConfiguration(UploadOptions.Section)
            .Validate(
                o => o.MaxSizeBytes > 0 && o.MinimumFreeBytes >= 0 && o.CheckpointBytes > 0 && o.ExpireAfter > TimeSpan.Zero
                    && o.ExpireUnstartedAfter > TimeSpan.Zero && o.ReleaseIdleReservationAfter > TimeSpan.Zero && !string.IsNullOrWhiteSpace(o.Folder),
                "Uploads: MaxSizeBytes, CheckpointBytes, ExpireAfter, ExpireUnstartedAfter and ReleaseIdleReservationAfter must be positive, MinimumFreeBytes not negative, Folder set.")
            .Validate(
                o => o.MaxPendingBytesPerKey >= o.MaxSizeBytes,
                "Uploads:MaxPendingBytesPerKey must be at least Uploads:MaxSizeBytes, or a file of the largest size could never be uploaded.")
            .ValidateOnStart();
        services.TryAddSingleton<ApiKeyStore>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<StagingArea>();
        services.AddSingleton<ChunkReceiver>();
        services.AddJobHandler<ArchiveUploadHandler>();
        services.AddSingleton<UploadExpiry>();
        services.AddHostedService(provider => provider.GetRequiredService<UploadExpiry>());
        return services;
    }

    /// <summary>Maps the endpoints, and stamps <c>Tus-Resumable</c> on every response under the upload path (errors from routing included).</summary>
    public static WebApplication MapUploads(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(UploadPaths.Root, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[TusProtocol.TusResumable] = TusProtocol.Version;
            }

            return next(context);
        });
        app.MapUploadEndpoints();
        return app;
    }
}
