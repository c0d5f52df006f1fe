using System.Text.Json.Serialization;

namespace Enforcement.Media.Storage.Objects.FileSystem;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(RetentionRecord))]
internal sealed partial class RetentionJson : JsonSerializerContext;
