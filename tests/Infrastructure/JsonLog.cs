using System.Text.Json;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// The compact JSON log an app writes with <c>Logs:JsonFile</c>: one CLEF object a line, in files rolled
/// by day (<c>app20261201.json</c>), read while the app may still be writing (shared with it).
/// </summary>
public sealed class JsonLog(string path)
{
    public string Path { get; } = path;

    /// <summary>Everything written so far, every rolled file together.</summary>
    public string Text()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var pattern = $"{System.IO.Path.GetFileNameWithoutExtension(Path)}*{System.IO.Path.GetExtension(Path)}";
        return string.Concat(Directory.Exists(folder)
            ? Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).Select(ReadShared)
            : []);
    }

    /// <summary>The events written so far.</summary>
    public IReadOnlyList<JsonElement> Events()
    {
        // A line still being written is left for the next look.
        var text = Text();
        return [.. text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    /// <summary>The request log's events (Serilog's request logging middleware) for this method and path.</summary>
    public IReadOnlyList<JsonElement> Requests(string method, string path) =>
        [.. Events().Where(e => Property(e, "RequestMethod") == method && Property(e, "RequestPath") == path)];

    /// <summary>Waits for the one request event of this method and path: the app writes it just after the answer leaves.</summary>
    public async Task<JsonElement> RequestAsync(string method, string path)
    {
        IReadOnlyList<JsonElement> found = [];
        var deadline = TimeProvider.System.GetTimestamp() + (10 * TimeProvider.System.TimestampFrequency);
        while ((found = Requests(method, path)).Count == 0 && TimeProvider.System.GetTimestamp() < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return Assert.Single(found);
    }

    public static string? Property(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static string ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
