using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>The real archive pipeline wired by hand over a test catalogue and a given store.</summary>
public sealed class ArchiveHarness(CatalogueFixture catalogue, IEvidenceStore store)
{
    public IEvidenceStore Store => store;

    public PendingWriteStore PendingWrites { get; } = new(catalogue.DataSource);

    public RecordingArchive Archive => new(
        catalogue.DataSource,
        store,
        PendingWrites,
        new AuditTrail(catalogue.DataSource, TimeProvider.System),
        new RetentionPolicy(Options.Create(new RetentionOptions()), TimeProvider.System),
        TimeProvider.System,
        NullLogger<RecordingArchive>.Instance);

    public static Delivery Delivery(string name, string? claimedSha256 = null, string? claimedMd5 = null) =>
        new(SourceKind.Command, "user:test", name, OriginalPath: $"/media/dock1/{name}", ClaimedSha256: claimedSha256, ClaimedMd5: claimedMd5);
}
