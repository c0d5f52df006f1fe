using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// Real footage through the real pipeline for the browser tests: a clip made with ffmpeg's lavfi sources,
/// archived as an original into a filesystem store, probed, and its rendition (and, when asked, thumbnails)
/// made by the real media jobs — what the player on Kestrel then serves over the same catalogue and store.
/// </summary>
public static class RealFootage
{
    public static async Task<ArchivedRecording> IngestAsync(CatalogueFixture catalogue, string storeRoot, string clip, Delivery delivery, bool thumbnails, CancellationToken cancellationToken)
    {
        var store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = storeRoot }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        await using var media = new MediaHarness(catalogue, store);
        await using var file = File.OpenRead(clip);
        var archived = await media.Archive.Archive.ArchiveAsync(file, delivery, null, cancellationToken);
        Assert.Equal(("succeeded", null), await media.RunJobAsync(media.ProbeHandler, archived.RecordingId));
        Assert.Equal(("succeeded", null), await media.RunJobAsync(media.RenditionHandler, archived.RecordingId));
        if (thumbnails)
        {
            Assert.Equal(("succeeded", null), await media.RunJobAsync(media.ThumbnailsHandler, archived.RecordingId));
        }

        return archived;
    }
}
