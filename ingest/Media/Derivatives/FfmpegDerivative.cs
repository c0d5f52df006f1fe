using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// One derivative made by one ffmpeg run: its role, how it is stored, the arguments for a given input
/// address and output path, and the check its output must pass when read back (null: fine; otherwise why not).
/// </summary>
public sealed record FfmpegDerivative(
    DerivationRole Role,
    string Method,
    ObjectKind Kind,
    string ContentType,
    string OutputName,
    Func<string, string, IReadOnlyList<string>> Arguments,
    Func<MediaProbe, string?> Check);
