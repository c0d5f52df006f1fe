using System.Text.Json;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>JSON as the HTTP API writes it (camelCase), so a stored receipt reads the same as a served one.</summary>
internal static class UploadJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
