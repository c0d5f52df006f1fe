using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Media;

/// <summary>The newest successfully made derivative of one role: what the player streams.</summary>
public sealed record CurrentDerivative(
    Guid RecordingId,
    DerivationRole Role,
    Guid DerivationId,
    string Method,
    int? Width,
    int? Height,
    double? DurationSeconds,
    Guid ObjectId,
    string Store,
    ObjectRef Location,
    Sha256Digest Sha256,
    long Size,
    string? ContentType);
