using Enforcement.Media.Storage.Recordings;
using Microsoft.AspNetCore.StaticFiles;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Describes a file for the archive from its GA/T 947 name and the station's sidecars (which win
/// where both say something). Shared by the dock watcher and <c>ingest files</c>; touches no catalogue.
/// </summary>
public sealed class DeliveryReader(TimeZoneInfo recorderZone)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public DescribedDelivery Describe(string path, SourceKind kind, string actor, string? stationId, DateTimeOffset? modifiedAt)
    {
        var name = RecorderFileName.Parse(Path.GetFileName(path), recorderZone);
        var sidecar = StationSidecar.ReadFor(path);
        var values = sidecar.Values;
        var delivery = new Delivery(
            kind,
            actor,
            name.Name,
            OriginalPath: path,
            StationId: stationId,
            FileModifiedAt: modifiedAt,
            DeviceSerial: values.DeviceSerial ?? name.DeviceSerial,
            OfficerId: values.OfficerId ?? name.OfficerId,
            UnitCode: values.UnitCode,
            RecorderStartedAt: values.RecorderStartedAt ?? name.RecordedAt,
            RecorderClockOffsetSeconds: values.ClockOffsetSeconds,
            Important: values.Important ?? name.Important,
            CaseCode: values.CaseCode,
            ClaimedSha256: values.Sha256,
            ClaimedMd5: values.Md5,
            ContentType: ContentTypes.TryGetContentType(name.Name, out var type) ? type : null);
        return new DescribedDelivery(delivery, name, sidecar.Problems);
    }
}
