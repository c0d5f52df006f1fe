using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// One derivative made by one ffmpeg run: its role, how it is stored, the arguments for a given input
/// address and output path, and the check its output must pass when read back (null: fine; otherwise why not).
/// </summary>
/// <param name="RedactionId">The redaction it renders or watermarks; recorded in its provenance.</param>
/// <param name="RecordedAs">
/// Arguments written differently in the provenance than they were run, beyond the input address and the
/// output path: a filter graph run from a script file in the work folder is recorded as its text.
/// </param>
public sealed record FfmpegDerivative(
    DerivationRole Role,
    string Method,
    ObjectKind Kind,
    string ContentType,
    string OutputName,
    Func<string, string, IReadOnlyList<string>> Arguments,
    Func<MediaProbe, string?> Check,
    Guid? RedactionId = null,
    IReadOnlyDictionary<string, string>? RecordedAs = null);
