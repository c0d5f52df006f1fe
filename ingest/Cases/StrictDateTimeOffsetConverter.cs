using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enforcement.Media.Ingest.Cases;

/// <summary>
/// Timestamps from the case system must say their offset (<c>2026-11-20T09:00:00+08:00</c> or <c>…Z</c>):
/// a bare local time would be read in the server's zone and silently shift every activity window.
/// </summary>
internal sealed class StrictDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("A timestamp is required.");
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] is '+' or '-') && text[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new JsonException($"'{text}' is not a timestamp with an explicit offset, e.g. 2026-11-20T09:00:00+08:00.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));
}
