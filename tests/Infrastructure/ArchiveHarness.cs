using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>The real archive pipeline wired by hand over a test catalogue and a given store.</summary>
public sealed class ArchiveHarness(CatalogueFixture catalogue, IEvidenceStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _time = clock ?? TimeProvider.System;

    public IEvidenceStore Store => store;

    public PendingWriteStore PendingWrites { get; } = new(catalogue.DataSource);

    public RecordingArchive Archive => Measured(null);

    /// <summary>The archive, counting what it archives into <paramref name="metrics"/>.</summary>
    public RecordingArchive Measured(ArchiveMetrics? metrics) => new(
        catalogue.DataSource,
        store,
        PendingWrites,
        new AuditTrail(catalogue.DataSource, _time),
        new RetentionPolicy(Options.Create(new RetentionOptions()), _time),
        _time,
        NullLogger<RecordingArchive>.Instance,
        metrics: metrics);

    public static Delivery Delivery(string name, string? claimedSha256 = null, string? claimedMd5 = null) =>
        new(SourceKind.Command, "user:test", name, OriginalPath: $"/media/dock1/{name}", ClaimedSha256: claimedSha256, ClaimedMd5: claimedMd5);

    /// <summary>Stores fresh random content as a new recording by the given officer, started at the given time.</summary>
    public async Task<ArchivedRecording> NewRecordingAsync(string officerId, DateTimeOffset startedAt, string? deviceSerial = null, string? name = null, CancellationToken cancellationToken = default)
    {
        var content = Bytes.Random(4096, Random.Shared.Next());
        name ??= $"{deviceSerial ?? "A100001"}_{officerId}_{startedAt:yyyyMMddHHmmss}.mp4";
        var delivery = Delivery(name) with { OfficerId = officerId, DeviceSerial = deviceSerial ?? "A100001", RecorderStartedAt = startedAt };
        return await Archive.ArchiveAsync(new MemoryStream(content), delivery, null, cancellationToken);
    }
}
