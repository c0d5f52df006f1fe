namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// The free text of the recording search, as SQL compares it: typed text is always text, never a pattern.
/// </summary>
/// <param name="NamePattern">
/// An <c>ILIKE</c> pattern finding the text anywhere in the original name, its own <c>%</c>, <c>_</c> and
/// <c>\</c> escaped (<c>ESCAPE '\'</c>). A pattern rather than <c>strpos</c>, as the case search uses, so
/// that a trigram index on the name can serve it once there is one.
/// </param>
/// <param name="HashFrom">
/// With <paramref name="HashBefore"/>, the range of SHA-256 digests that start with the text: a range, so
/// the unique index on the digest finds them. Null when the text cannot start a digest (64 lowercase hex
/// characters at most, matched in any case).
/// </param>
/// <param name="HashBefore">The first digest past the range; null when the prefix is all <c>f</c> (no end).</param>
public sealed record SearchText(string NamePattern, string? HashFrom, string? HashBefore)
{
    public static SearchText Of(string text)
    {
        var pattern = "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal) + "%";
        var hex = text.ToLowerInvariant();
        return hex.Length <= 64 && hex.All(char.IsAsciiHexDigitLower)
            ? new SearchText(pattern, hex, After(hex))
            : new SearchText(pattern, null, null);
    }

    /// <summary>The least string past every string that starts with <paramref name="prefix"/>: its last digit below f, one up, with what followed it cut.</summary>
    private static string? After(string prefix)
    {
        var last = prefix.LastIndexOfAnyExcept('f');
        if (last < 0)
        {
            return null;
        }

        var digit = prefix[last] == '9' ? 'a' : (char)(prefix[last] + 1);
        return string.Concat(prefix.AsSpan(0, last), [digit]);
    }
}
