namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>The ffmpeg argument list that burns the watermark into a redacted output: the picture re-encoded, the sound copied as it is.</summary>
public static class PublicationArguments
{
    public static IReadOnlyList<string> Build(string watermarkFilters, bool photo, MediaOptions options, string input, string output) =>
    [
        .. ReleaseArguments.Input(options, input),
        "-filter_complex", $"[0:v:0]{watermarkFilters}[v]",
        "-map", "[v]", .. ReleaseArguments.Video(options, photo),
        .. photo ? Array.Empty<string>() : ["-map", "0:a?", "-c:a", "copy"],
        .. ReleaseArguments.Output(photo, output),
    ];
}
