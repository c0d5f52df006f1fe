using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Ingest.Media.Suggestions;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

/// <summary>The ingest host as it ships: the suggestions job runs in the media pool, configured from <c>Suggestions:*</c>.</summary>
public sealed class SuggestionWiringTests
{
    [Fact]
    public async Task The_ingest_host_runs_the_suggestions_job_in_the_media_pool()
    {
        using var folder = new TempFolder();
        await using var app = IngestHost.Build(
        [
            $"--ConnectionStrings:Catalogue={TestServices.PostgresConnection}",
            $"--Store:FileSystem:Root={folder.Path}",
            "--Suggestions:CascadeFolder=/opt/opencv",
            "--Suggestions:FrameWidth=960",
            "--Suggestions:ProfileFaces=false",
        ]);

        var handler = Assert.Single(app.Services.GetServices<IJobHandler>(), h => h.Kind == JobKinds.Suggestions);
        Assert.IsType<SuggestionsJobHandler>(handler);
        Assert.Equal(JobPools.Media, handler.Pool);
        Assert.NotNull(app.Services.GetRequiredService<SuggestionStore>());
        var options = app.Services.GetRequiredService<IOptions<SuggestionOptions>>().Value;
        Assert.Equal(("/opt/opencv", 960, false), (options.CascadeFolder, options.FrameWidth, options.ProfileFaces));
        Assert.Equal("opencv 4.13.0 haarcascade_frontalface_default.xml", app.Services.GetRequiredService<FaceSuggester>().Detector);
    }
}
