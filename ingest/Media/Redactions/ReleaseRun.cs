using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// One render for release as its job plans it (<see cref="ReleaseRenderer"/>): a photo becomes
/// <c>{Name}.jpg</c>, anything else <c>{Name}.mp4</c>; <paramref name="Video"/> and <paramref name="Audio"/>
/// say which streams the output must have.
/// </summary>
/// <param name="Arguments">ffmpeg's arguments for an input address and an output path.</param>
/// <param name="RedactionId">The redaction it renders or watermarks; recorded in its provenance.</param>
/// <param name="RecordedAs">Arguments recorded otherwise than run (<see cref="Derivatives.FfmpegDerivative.RecordedAs"/>).</param>
public sealed record ReleaseRun(
    DerivationRole Role,
    string Method,
    string Name,
    bool Photo,
    bool Video,
    bool Audio,
    Func<string, string, IReadOnlyList<string>> Arguments,
    Guid RedactionId,
    IReadOnlyDictionary<string, string>? RecordedAs = null);
