using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Stations;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// The decoded <c>Upload-Metadata</c> of an upload (tus creation extension: comma-separated
/// <c>key base64(value)</c> pairs, keys unique, a value may be absent). Keys this service reads:
/// <c>filename</c> (or <c>name</c>), <c>device_serial</c>, <c>officer_id</c>, <c>unit_code</c>,
/// <c>recorded_at</c> (ISO 8601), <c>sha256</c> (hex), <c>md5</c> (hex), <c>case_code</c>,
/// <c>content_type</c> (or <c>filetype</c>), <c>important</c>, <c>clock_offset_seconds</c>,
/// <c>modified_at</c>. Other keys are kept as sent and otherwise ignored.
/// </summary>
/// <remarks>The file name is data, never a path: it is preserved as the original name and nothing is ever opened by it.</remarks>
public sealed partial record UploadMetadata(IReadOnlyDictionary<string, string> Pairs)
{
    /// <summary>Longest value accepted, in UTF-8 bytes; file names of 255 bytes and more pass.</summary>
    public const int MaxValueBytes = 4096;

    public string? FileName => Get("filename") ?? Get("name");

    public string? DeviceSerial => Get("device_serial");

    public string? OfficerId => Get("officer_id");

    public string? UnitCode => Get("unit_code");

    public string? CaseCode => Get("case_code");

    public string? ContentType => Get("content_type") ?? Get("filetype");

    public string? Sha256 => Get("sha256");

    public string? Md5 => Get("md5");

    public DateTimeOffset? RecordedAt => Get("recorded_at") is { } text ? ParseTime(text) : null;

    public DateTimeOffset? ModifiedAt => Get("modified_at") is { } text ? ParseTime(text) : null;

    public int? ClockOffsetSeconds => Get("clock_offset_seconds") is { } text ? int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    public bool Important => Get("important") is "1" or "true" or "yes";

    public static UploadMetadata Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>Parses the header; on failure <paramref name="problem"/> names the key and what is wrong with it (for a 400).</summary>
    public static bool TryParse(string? header, [NotNullWhen(true)] out UploadMetadata? metadata, [NotNullWhen(false)] out string? problem)
    {
        metadata = null;
        if (string.IsNullOrWhiteSpace(header))
        {
            metadata = Empty;
            problem = null;
            return true;
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawPair in header.Split(','))
        {
            var pair = rawPair.Trim();
            var space = pair.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? pair : pair[..space];
            var encoded = space < 0 ? string.Empty : pair[(space + 1)..];
            if (key.Length == 0)
            {
                problem = "Upload-Metadata has an empty key (pairs are 'key base64value', separated by commas).";
                return false;
            }

            if (encoded.Contains(' ', StringComparison.Ordinal))
            {
                problem = $"Upload-Metadata key '{key}': a pair is one key and one base64 value separated by a single space.";
                return false;
            }

            if (!pairs.TryAdd(key, string.Empty))
            {
                problem = $"Upload-Metadata key '{key}' appears more than once.";
                return false;
            }

            if (!TryDecode(encoded, out var value))
            {
                problem = $"Upload-Metadata key '{key}': the value is not base64-encoded UTF-8 text.";
                return false;
            }

            if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes || value.Contains('\0', StringComparison.Ordinal))
            {
                problem = $"Upload-Metadata key '{key}': the value is longer than {MaxValueBytes} bytes or contains a NUL character.";
                return false;
            }

            pairs[key] = value;
        }

        metadata = new UploadMetadata(pairs);
        problem = metadata.Validate();
        if (problem is not null)
        {
            metadata = null;
            return false;
        }

        return true;
    }

    /// <summary>What the archive is told about this delivery. Hash claims are verified there; a mismatch is quarantined, never dropped.</summary>
    public Delivery ToDelivery(Guid uploadId, ApiKey key) => new(
        key.Kind == ApiKeyKind.Station ? SourceKind.Station : SourceKind.Upload,
        key.Actor,
        FileName is { Length: > 0 } name ? name : $"upload-{uploadId:N}",
        OriginalPath: UploadPaths.Of(uploadId),
        StationId: key.StationId,
        FileModifiedAt: ModifiedAt,
        DeviceSerial: DeviceSerial,
        OfficerId: OfficerId,
        UnitCode: UnitCode,
        RecorderStartedAt: RecordedAt,
        RecorderClockOffsetSeconds: ClockOffsetSeconds,
        Important: Important,
        CaseCode: CaseCode,
        ClaimedSha256: Sha256,
        ClaimedMd5: Md5,
        ContentType: ContentType,
        ApiKeyId: key.Id);

    private string? Get(string key) => Pairs.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private string? Validate()
    {
        if (Get("sha256") is { } sha256 && !HexDigest(sha256, 64))
        {
            return "Upload-Metadata key 'sha256': the value must be 64 hexadecimal characters (the file's SHA-256).";
        }

        if (Get("md5") is { } md5 && !HexDigest(md5, 32))
        {
            return "Upload-Metadata key 'md5': the value must be 32 hexadecimal characters.";
        }

        foreach (var timeKey in (string[])["recorded_at", "modified_at"])
        {
            if (Get(timeKey) is { } text && ParseTime(text) is null)
            {
                return $"Upload-Metadata key '{timeKey}': '{text}' is not an ISO 8601 date and time (e.g. 2026-11-22T08:00:00+08:00).";
            }
        }

        if (Get("clock_offset_seconds") is { } offset && !int.TryParse(offset, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return "Upload-Metadata key 'clock_offset_seconds': the value must be a whole number of seconds.";
        }

        return null;
    }

    private static bool HexDigest(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigit);

    private static DateTimeOffset? ParseTime(string text) =>
        IsoDateTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    private static bool TryDecode(string encoded, out string value)
    {
        value = string.Empty;
        if (encoded.Length == 0)
        {
            return true;
        }

        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        try
        {
            value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex IsoDateTime();
}
