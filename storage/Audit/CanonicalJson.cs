using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// The one JSON spelling of a value that audit hashes are computed over: object keys sorted by
/// ordinal, no insignificant whitespace, UTF-8, minimal escaping. Anyone can reproduce it.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions Input = new(JsonSerializerDefaults.Web);
    private static readonly JsonWriterOptions Output = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(object? value)
    {
        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, Input);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Output))
        {
            Write(writer, node);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, child);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var child in array)
                {
                    Write(writer, child);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
