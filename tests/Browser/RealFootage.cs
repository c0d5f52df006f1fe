using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Ingest.Media.Suggestions;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// Real footage through the real pipeline for the browser tests: a clip made with ffmpeg's lavfi sources,
/// archived as an original into a filesystem store, probed, and its rendition (and, when asked, thumbnails)
/// made by the real media jobs — what the player on Kestrel then serves over the same catalogue and store.
/// The jobs work in a folder of the caller's: job ids start at 1 in every test schema, and a job clears
/// stale folders of its id in its work root — a shared root would let one test's job delete another's files.
/// </summary>
public static class RealFootage
{
    public static async Task<ArchivedRecording> IngestAsync(
        CatalogueFixture catalogue, string storeRoot, string workFolder, string clip, Delivery delivery, bool thumbnails, CancellationToken cancellationToken)
    {
        var store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = storeRoot }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        await using var media = new MediaHarness(catalogue, store, new MediaOptions { WorkFolder = workFolder });
        await using var file = File.OpenRead(clip);
        var archived = await media.Archive.Archive.ArchiveAsync(file, delivery, null, cancellationToken);
        await SucceedsAsync(media, media.ProbeHandler, archived.RecordingId);
        await SucceedsAsync(media, media.RenditionHandler, archived.RecordingId);
        if (thumbnails)
        {
            await SucceedsAsync(media, media.ThumbnailsHandler, archived.RecordingId);
        }

        return archived;
    }

    /// <summary>
    /// Runs the real render job of a redaction (<see cref="JobKinds.Redaction"/>) or of a publication's copy
    /// (<see cref="JobKinds.Publication"/>) that the player queued, over the same catalogue and store.
    /// </summary>
    public static async Task RenderAsync(CatalogueFixture catalogue, string storeRoot, string workFolder, string kind, Guid id, CancellationToken cancellationToken)
    {
        var store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = storeRoot }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        await using var media = new MediaHarness(catalogue, store, new MediaOptions { WorkFolder = workFolder });
        var renders = new Ingest.Redactions.RedactionHarness(catalogue, media);
        var (state, error) = kind == JobKinds.Redaction
            ? await renders.RunAsync(renders.RedactionHandler, "redactionId", id)
            : await renders.RunAsync(renders.PublicationHandler, "publicationId", id);
        Assert.True(state == "succeeded", $"{kind} job of {id}: {state} — {error}");
    }

    /// <summary>Runs the real face-suggestions job the player queued for the recording: ffmpeg's frames through OpenCV's cascades.</summary>
    public static async Task SuggestAsync(CatalogueFixture catalogue, string storeRoot, string workFolder, Guid recordingId, CancellationToken cancellationToken)
    {
        var store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = storeRoot }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        await using var media = new MediaHarness(catalogue, store, new MediaOptions { WorkFolder = workFolder });
        var suggester = new FaceSuggester(
            new MediaJobContexts(media.Sources, media.Probes, media.Options),
            media.Probes,
            media.Runner,
            media.Options,
            Microsoft.Extensions.Options.Options.Create(new SuggestionOptions()),
            NullLogger<FaceSuggester>.Instance);
        var handler = new SuggestionsJobHandler(new SuggestionStore(catalogue.DataSource, TimeProvider.System), suggester, NullLogger<SuggestionsJobHandler>.Instance);
        await SucceedsAsync(media, handler, recordingId);
    }

    /// <summary>Runs the job and fails with its whole error (ffmpeg's own words) when it did not succeed.</summary>
    private static async Task SucceedsAsync(MediaHarness media, IJobHandler handler, Guid recordingId)
    {
        var (state, error) = await media.RunJobAsync(handler, recordingId);
        Assert.True(state == "succeeded", $"{handler.GetType().Name}: {state} — {error}");
    }
}
