using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// Reads a docking station's sidecar manifests (JSON, UTF-8). Two forms, both optional:
/// <list type="bullet">
/// <item>per file: <c>&lt;file name&gt;.json</c> beside the file, one object;</item>
/// <item>per folder: <c>manifest.json</c>, an object whose fields are defaults for every file in
/// that folder, with <c>"files": [ { "name": "&lt;file name&gt;", … }, … ]</c> for each file's own.</item>
/// </list>
/// Fields (all optional, field names case-insensitive; file names exact): <c>sha256</c> or <c>md5</c> (hex), <c>deviceSerial</c>,
/// <c>officerId</c>, <c>unitCode</c>, <c>recorderStartedAt</c> (ISO 8601, UTC when no offset is
/// given), <c>clockOffsetSeconds</c> (integer: station clock − recorder clock), <c>caseCode</c>,
/// <c>important</c> (true/false). The per-file sidecar wins over the folder's entry, which wins over
/// the folder's defaults; all of them win over what the file name says.
/// A sidecar that cannot be read, or a field of the wrong type, is reported and skipped: the file is
/// still ingested with whatever could be read.
/// </summary>
public static class StationSidecar
{
    public const string ManifestName = "manifest.json";

    public const string FileSuffix = ".json";

    /// <summary>The audit action recorded when a delivery's sidecar could not be (fully) read.</summary>
    public const string RejectedAuditAction = "source.sidecar-rejected";

    /// <summary>Larger than any honest manifest (a few hundred bytes per file).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    private const int MaxTextLength = 256;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly JsonDocumentOptions Tolerant = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 };

    public static string FileSidecarPath(string filePath) => filePath + FileSuffix;

    public static string ManifestPath(string filePath) => Path.Combine(Path.GetDirectoryName(filePath) ?? ".", ManifestName);

    public static bool IsManifest(string name) => name.Equals(ManifestName, StringComparison.Ordinal);

    /// <summary>Everything the sidecars beside <paramref name="filePath"/> say about it.</summary>
    public static SidecarRead ReadFor(string filePath)
    {
        var problems = new List<string>();
        var own = ReadJson(FileSidecarPath(filePath), problems) is { } sidecar
            ? ParseFileSidecar(sidecar, FileSidecarPath(filePath), problems)
            : SidecarValues.None;
        var folder = ReadJson(ManifestPath(filePath), problems) is { } manifest
            ? ParseManifest(manifest, Path.GetFileName(filePath), ManifestPath(filePath), problems)
            : SidecarValues.None;
        return new SidecarRead(own.Over(folder), problems);
    }

    public static SidecarValues ParseFileSidecar(byte[] json, string where, List<string> problems)
    {
        using var document = Parse(json, where, problems);
        if (document is null)
        {
            return SidecarValues.None;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: a sidecar is a JSON object, not {Describe(document.RootElement.ValueKind)}; ignored");
            return SidecarValues.None;
        }

        return ReadValues(document.RootElement, where, problems, perFile: true);
    }

    public static SidecarValues ParseManifest(byte[] json, string fileName, string where, List<string> problems)
    {
        using var document = Parse(json, where, problems);
        if (document is null)
        {
            return SidecarValues.None;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: a manifest is a JSON object, not {Describe(root.ValueKind)}; ignored");
            return SidecarValues.None;
        }

        var defaults = ReadValues(root, where, problems, perFile: false);
        if (Field(root, "files", where, problems) is not { } files)
        {
            return defaults;
        }

        if (files.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where}: 'files' is not a list; only the folder's defaults were used");
            return defaults;
        }

        var matches = new List<JsonElement>();
        foreach (var entry in files.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object
                && Field(entry, "name", where, problems) is { ValueKind: JsonValueKind.String } name
                && SameName(name.GetString()!, fileName))
            {
                matches.Add(entry);
            }
        }

        if (matches.Count > 1)
        {
            // Two different claims for one file: believing either could wrongly verify or quarantine it.
            problems.Add($"{where}: {matches.Count} entries name '{fileName}'; none of them was used");
            return defaults;
        }

        return matches.Count == 1 ? ReadValues(matches[0], $"{where} (entry '{fileName}')", problems, perFile: true).Over(defaults) : defaults;
    }

    private static byte[]? ReadJson(string path, List<string> problems)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (file.Length > MaxBytes)
            {
                problems.Add($"{path}: {file.Length} bytes is larger than a sidecar may be ({MaxBytes}); ignored");
                return null;
            }

            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: cannot be read ({ex.Message}); ignored");
            return null;
        }
    }

    private static JsonDocument? Parse(byte[] json, string where, List<string> problems)
    {
        try
        {
            // Windows station software often writes a UTF-8 byte order mark, which JSON itself does not allow.
            ReadOnlyMemory<byte> text = json;
            return JsonDocument.Parse(text.Span.StartsWith(Utf8Bom) ? text[Utf8Bom.Length..] : text, Tolerant);
        }
        catch (JsonException ex)
        {
            problems.Add($"{where}: not valid JSON ({ex.Message}); ignored");
            return null;
        }
    }

    private static SidecarValues ReadValues(JsonElement element, string where, List<string> problems, bool perFile)
    {
        string? sha256 = null;
        string? md5 = null;
        if (perFile)
        {
            sha256 = Text(element, "sha256", where, problems);
            md5 = Text(element, "md5", where, problems);
        }
        else if (Field(element, "sha256", where, problems) is not null || Field(element, "md5", where, problems) is not null)
        {
            problems.Add($"{where}: a hash at folder level would apply to every file; ignored (give it per file)");
        }

        return new SidecarValues(
            sha256,
            md5,
            Text(element, "deviceSerial", where, problems),
            Text(element, "officerId", where, problems),
            Text(element, "unitCode", where, problems),
            Time(element, "recorderStartedAt", where, problems),
            Integer(element, "clockOffsetSeconds", where, problems),
            Text(element, "caseCode", where, problems),
            Boolean(element, "important", where, problems));
    }

    /// <summary>The named property (any case), or null when absent or JSON null. A name given twice is a problem, and neither is used.</summary>
    private static JsonElement? Field(JsonElement element, string name, string where, List<string> problems)
    {
        JsonElement? found = null;
        var count = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
                count++;
            }
        }

        if (count > 1)
        {
            problems.Add($"{where}: '{name}' is given {count} times; ignored");
            return null;
        }

        return found is { ValueKind: JsonValueKind.Null } ? null : found;
    }

    private static string? Text(JsonElement element, string name, string where, List<string> problems)
    {
        if (Field(element, name, where, problems) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{where}: '{name}' is {Describe(value.ValueKind)}, not text; ignored");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length > MaxTextLength || text.Any(char.IsControl))
        {
            problems.Add($"{where}: '{name}' is longer than {MaxTextLength} characters or holds control characters; ignored");
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    private static DateTimeOffset? Time(JsonElement element, string name, string where, List<string> problems)
    {
        if (Text(element, name, where, problems) is not { } text)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            problems.Add($"{where}: '{name}' value '{text}' is not an ISO 8601 time; ignored");
            return null;
        }

        return time.ToUniversalTime();
    }

    private static int? Integer(JsonElement element, string name, string where, List<string> problems)
    {
        if (Field(element, name, where, problems) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            problems.Add($"{where}: '{name}' is {Describe(value.ValueKind)} '{Raw(value)}', not a whole number of seconds; ignored");
            return null;
        }

        return number;
    }

    private static bool? Boolean(JsonElement element, string name, string where, List<string> problems)
    {
        if (Field(element, name, where, problems) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add($"{where}: '{name}' is {Describe(value.ValueKind)} '{Raw(value)}', not true or false; ignored");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>Names compared as written, then in Unicode NFC (a Mac-made manifest may hold decomposed names).</summary>
    private static bool SameName(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return string.Equals(a.Normalize(NormalizationForm.FormC), b.Normalize(NormalizationForm.FormC), StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            // A lone surrogate cannot be normalised, and names no real file.
            return false;
        }
    }

    private static string Raw(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? raw : raw[..40] + "…";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
