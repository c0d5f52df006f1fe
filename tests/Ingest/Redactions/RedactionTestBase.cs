using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>Redactions rendered by the real pipeline (ffmpeg, PostgreSQL, a filesystem store) from generated footage.</summary>
public abstract class RedactionTestBase : MediaJobTestBase
{
    private RedactionHarness? _redactions;

    protected RedactionTestBase(CatalogueFixture catalogue)
        : base(catalogue)
    {
        Store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = StoreFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    protected override IEvidenceStore Store { get; }

    protected RedactionHarness Redactions => _redactions ??= new RedactionHarness(Catalogue, Harness);

    /// <summary>Generates the moving-patch clip under a fresh name, ingests and probes it; returns the recording and the local file.</summary>
    protected async Task<(Guid RecordingId, string Path)> MovingPatchAsync(double seconds = 6, params string[] output)
    {
        var path = Folder.Combine($"patch-{Guid.NewGuid():N}.mp4");
        await RedactionFootage.MovingPatchAsync(path, Token, seconds, output);
        return ((await Harness.IngestAndProbeAsync(path)).RecordingId, path);
    }

    /// <summary>The redaction's output downloaded to the scratch folder.</summary>
    protected Task<string> DownloadAsync(RedactedOutput output, string extension = ".mp4") => DownloadAsync(output.ObjectId, extension);

    /// <summary>A stored object downloaded to the scratch folder.</summary>
    protected async Task<string> DownloadAsync(Guid objectId, string extension)
    {
        var (key, version) = await Harness.QueryAsync<(string, string?)>("SELECT object_key, version_id FROM stored_objects WHERE id = @objectId", new { objectId }) is [var row] ? row : default;
        return await Harness.DownloadAsync(new ObjectRef(key, version), Folder.Combine($"object-{objectId:N}{extension}"));
    }

    protected static RedactionSpec Regions(params RedactionRegion[] regions) => new(regions, null, null);

    /// <summary>The region drawn over the moving patch, with key positions at the given times.</summary>
    protected static RedactionRegion Following(string shape, params double[] times) => new(shape, [.. times.Select(RedactionFootage.KeyAt)]);
}
