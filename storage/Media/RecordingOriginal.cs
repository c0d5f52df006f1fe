using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Media;

/// <summary>A recording's original object, as the media jobs need it: where it is, what it is, how long it is kept.</summary>
public sealed record RecordingOriginal(
    Guid RecordingId,
    Sha256Digest Sha256,
    long Size,
    string Store,
    ObjectRef Location,
    DateTimeOffset RetainUntil,
    bool LegalHold,
    string MediaState);
