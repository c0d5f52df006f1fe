using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Player.Exports;

/// <summary>One original to put in a package: where the store holds it, what the catalogue says it is, and the cases it belongs to.</summary>
public sealed record PackageSource(
    int Ordinal,
    Guid RecordingId,
    string Sha256,
    long Size,
    string OriginalName,
    string Classification,
    string? DeviceSerial,
    string? OfficerId,
    string? UnitCode,
    DateTimeOffset? RecorderStartedAt,
    DateTimeOffset IngestedAt,
    DateTimeOffset? DisposedAt,
    IReadOnlyList<string> CaseNumbers,
    string Store,
    ObjectRef Location,
    DateTimeOffset RetainUntil);
