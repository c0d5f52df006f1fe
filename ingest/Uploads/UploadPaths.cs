namespace Enforcement.Media.Ingest.Uploads;

/// <summary>Where an upload lives. Its path is also the <c>original_path</c> of the source it becomes, tying the two together.</summary>
public static class UploadPaths
{
    public const string Root = "/api/v1/uploads";

    public static string Of(Guid uploadId) => $"{Root}/{uploadId:N}";

    /// <summary>Only the 32-hex-digit form this server hands out names an upload: anything else (traversal included) is 404.</summary>
    public static bool TryParseId(string? text, out Guid uploadId) => Guid.TryParseExact(text, "N", out uploadId);
}
