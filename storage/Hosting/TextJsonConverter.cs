using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Reads every JSON string of a request body through <see cref="TextInput"/>: one place for all bodies,
/// present and future, instead of a check in each endpoint. A refused string fails the body with
/// <see cref="UnacceptableTextException"/>, which carries the value's JSON path.
/// </summary>
public sealed class TextJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            // The serializer words this one itself ("could not be converted to System.String"), with the path.
            throw new JsonException();
        }

        return Checked(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>A dictionary key is text from the client too.</summary>
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Checked(string value) =>
        TextInput.Refusal(value) is { } refusal ? throw new UnacceptableTextException(refusal) : value;
}
