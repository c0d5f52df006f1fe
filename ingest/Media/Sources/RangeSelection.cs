using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Sources;

/// <summary>
/// What to send for a request's <c>Range</c> header (RFC 9110 §14.2): the whole representation,
/// one byte range of it, or a 416 because no requested byte exists.
/// </summary>
public readonly record struct RangeSelection(RangeSelectionKind Kind, ByteRange? Range = null)
{
    public static RangeSelection Whole { get; } = new(RangeSelectionKind.Whole);

    public static RangeSelection Unsatisfiable { get; } = new(RangeSelectionKind.Unsatisfiable);

    /// <summary>
    /// Resolves a <c>Range</c> header against a representation of <paramref name="length"/> bytes.
    /// Anything this server does not serve as a single range — no header, another unit, several ranges,
    /// a malformed one — is answered with the whole representation, which RFC 9110 §14.2 allows
    /// ("a server MAY ignore the Range header field").
    /// </summary>
    public static RangeSelection Parse(string? header, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (string.IsNullOrWhiteSpace(header))
        {
            return Whole;
        }

        var text = header.AsSpan().Trim();
        const string unit = "bytes=";
        if (!text.StartsWith(unit, StringComparison.OrdinalIgnoreCase))
        {
            return Whole;
        }

        var spec = text[unit.Length..].Trim();
        if (spec.Contains(','))
        {
            // Several ranges would need multipart/byteranges; ffmpeg and browsers never ask for them.
            return Whole;
        }

        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return Whole;
        }

        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();

        // A zero-length representation has no satisfiable range. Sending it whole (200, no body) lets the
        // reader report what it really met — an empty file — instead of an HTTP error.
        if (length == 0)
        {
            return Whole;
        }

        if (firstText.IsEmpty)
        {
            // suffix-range: the last N bytes.
            if (!TryDigits(lastText, out var suffix))
            {
                return Whole;
            }

            return suffix == 0 ? Unsatisfiable : Partial(Math.Max(0, length - suffix), length - 1);
        }

        if (!TryDigits(firstText, out var first))
        {
            return Whole;
        }

        long last;
        if (lastText.IsEmpty)
        {
            last = length - 1;
        }
        else if (!TryDigits(lastText, out last) || last < first)
        {
            return Whole;
        }

        if (first >= length)
        {
            return Unsatisfiable;
        }

        return Partial(first, Math.Min(last, length - 1));
    }

    private static RangeSelection Partial(long first, long last) => new(RangeSelectionKind.Partial, new ByteRange(first, last));

    private static bool TryDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
