using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Redactions;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Suggestions;
using Enforcement.Media.Ingest.Media.Thumbnails;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>ffmpeg/ffprobe, the loopback object server they read originals through, and the media jobs (probe, rendition, thumbnails, redaction, publication).</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section);
        services.AddSingleton<IMediaToolRunner, FfmpegToolRunner>();
        services.AddSingleton<LoopbackObjectServer>();
        services.AddHostedService(provider => provider.GetRequiredService<LoopbackObjectServer>());
        services.AddSingleton<MediaProbeStore>();
        services.AddSingleton<OriginalSources>();
        services.AddSingleton<Ffprobe>();
        services.AddSingleton<ProbeRecorder>();
        services.AddJobHandler<ProbeJobHandler>();
        services.AddSingleton<DerivationStore>();
        services.AddSingleton<DerivativeWriter>();
        services.AddSingleton<DerivativeMaker>();
        services.AddSingleton<MediaJobContexts>();
        services.AddJobHandler<RenditionJobHandler>();
        services.AddJobHandler<ThumbnailsJobHandler>();
        services.AddSingleton<RecordingStandings>();
        services.AddSingleton<ReleaseRenderer>();
        services.AddJobHandler<RedactionJobHandler>();
        services.AddJobHandler<PublicationJobHandler>();
        services.AddSuggestions();
        return services;
    }
}
