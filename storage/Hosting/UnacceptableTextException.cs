using System.Text.Json;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// A JSON string that <see cref="TextInput"/> refuses. A <see cref="JsonException"/>, so the serializer
/// gives it the path of the value (<c>$.reason</c>), which the answer names as the field.
/// </summary>
public sealed class UnacceptableTextException(string message) : JsonException(message);
