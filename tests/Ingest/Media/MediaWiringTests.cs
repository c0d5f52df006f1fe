using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>The ingest host as it ships: the media features are registered and configured from <c>Media:*</c>.</summary>
public sealed class MediaWiringTests
{
    [Fact]
    public async Task The_ingest_host_runs_the_probe_rendition_and_thumbnails_jobs_and_the_loopback_server()
    {
        using var folder = new TempFolder();
        await using var app = IngestHost.Build(
        [
            $"--ConnectionStrings:Catalogue={TestServices.PostgresConnection}",
            $"--Store:FileSystem:Root={folder.Path}",
            "--Media:MaxLines=720",
            "--Media:FfmpegPath=/opt/ffmpeg/bin/ffmpeg",
        ]);

        var handlers = app.Services.GetServices<IJobHandler>().ToDictionary(h => h.Kind, h => h.Pool);
        Assert.Equal(JobPools.Default, handlers["probe"]);
        Assert.Equal(JobPools.Media, handlers[MediaJobs.Rendition]);
        Assert.Equal(JobPools.Media, handlers[MediaJobs.Thumbnails]);
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is LoopbackObjectServer);
        Assert.IsType<FfmpegToolRunner>(app.Services.GetRequiredService<IMediaToolRunner>());
        var options = app.Services.GetRequiredService<IOptions<MediaOptions>>().Value;
        Assert.Equal((720, "/opt/ffmpeg/bin/ffmpeg", "ffprobe"), (options.MaxLines, options.FfmpegPath, options.FfprobePath));
    }
}
