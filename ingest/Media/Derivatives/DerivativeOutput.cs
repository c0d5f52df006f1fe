using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>A finished derivative file waiting to be stored, with what ffprobe read back from it.</summary>
public sealed record DerivativeOutput(
    DerivationRole Role,
    string Method,
    ObjectKind Kind,
    string ContentType,
    string Path,
    int? Width,
    int? Height,
    double? DurationSeconds,
    DerivativeLineage? Lineage = null);
