namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// Short ids for the operator's tables. A UUIDv7 begins with its creation time in milliseconds, so the start
/// of ids made in one burst is the same for every row; its end is random (RFC 9562 §5.7, <c>rand_b</c>). A
/// short id is therefore the end of the id: the last <see cref="MinLength"/> hex digits, longer where two rows
/// shown together would share them, and any command that takes a recording id accepts it (<see cref="RecordingIds"/>).
/// </summary>
internal static class ShortId
{
    /// <summary>32 random bits: two of a table's rows sharing them is rare, and then both are shown longer.</summary>
    public const int MinLength = 8;

    /// <summary>Each id's shortest end, at least <see cref="MinLength"/> hex digits, that no other of <paramref name="ids"/> ends with.</summary>
    public static IReadOnlyDictionary<Guid, string> Of(IReadOnlyCollection<Guid> ids)
    {
        var hex = ids.Distinct().ToDictionary(id => id, id => id.ToString("N"));
        var shown = new Dictionary<Guid, string>();
        foreach (var (id, digits) in hex)
        {
            var length = MinLength;
            while (length < digits.Length && hex.Any(other => other.Key != id && other.Value.EndsWith(digits[^length..], StringComparison.Ordinal)))
            {
                length++;
            }

            shown[id] = digits[^length..];
        }

        return shown;
    }

    /// <summary>
    /// What an operator typed for an id, as lowercase hex digits without dashes: a whole id, or an end of at
    /// least <see cref="MinLength"/> digits. False for anything else.
    /// </summary>
    public static bool TryRead(string text, out string digits)
    {
        digits = text.Trim().Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return digits.Length is >= MinLength and <= 32 && digits.All(char.IsAsciiHexDigit);
    }
}
