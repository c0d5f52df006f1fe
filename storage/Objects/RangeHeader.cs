namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// Resolves <c>Range</c> and <c>If-Range</c> (RFC 9110 §14.2, §13.1.5) against a representation of a
/// known length and strong ETag. The choices, each allowed by the RFC:
/// <list type="bullet">
/// <item>no header, another range unit (<c>items=0-1</c>), or an <c>If-Range</c> that is not our current
/// ETag (dates included: we send no Last-Modified) → the whole representation (200);</item>
/// <item>one satisfiable range → 206 with exactly that range; a last position past the end is cut to the
/// end, a suffix longer than the representation is the whole of it;</item>
/// <item>several ranges → the whole representation (200): the Range is ignored, as §14.2 allows, rather
/// than sending multipart/byteranges that no media element asks for;</item>
/// <item>a malformed bytes range (<c>bytes=abc</c>, <c>bytes=5-2</c>, <c>bytes=</c>) is rejected, and a
/// range with no byte in the representation is unsatisfiable → 416 with <c>Content-Range: bytes */length</c>.</item>
/// </list>
/// Numbers too large for 64 bits saturate: a first position that large is past the end; a last
/// position or suffix that large means "to the end". The one range parser of the product: the player's
/// footage stream and the loopback server that feeds originals to ffmpeg both answer by it.
/// </summary>
public static class RangeHeader
{
    public static RangeAnswer Resolve(string? range, string? ifRange, string etag, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (string.IsNullOrWhiteSpace(range))
        {
            return RangeAnswer.Whole;
        }

        if (!string.IsNullOrWhiteSpace(ifRange) && !string.Equals(ifRange.Trim(), etag, StringComparison.Ordinal))
        {
            return RangeAnswer.Whole;
        }

        var text = range.AsSpan().Trim();
        var equals = text.IndexOf('=');
        if (equals < 0 || !text[..equals].Trim().Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return RangeAnswer.Whole;
        }

        var specs = text[(equals + 1)..];
        var count = 0;
        ByteRange? first = null;
        foreach (var part in specs.Split(','))
        {
            var spec = specs[part].Trim();
            if (spec.IsEmpty)
            {
                continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            }

            count++;
            if (!TryParse(spec, length, out var resolved))
            {
                return RangeAnswer.Unsatisfiable;
            }

            first ??= resolved;
        }

        return count switch
        {
            0 => RangeAnswer.Unsatisfiable,
            _ when first is null => RangeAnswer.Unsatisfiable,
            1 => RangeAnswer.Partial(first.Value),
            _ => RangeAnswer.Whole,
        };
    }

    /// <summary>False for a malformed spec; true with null for a well-formed one that selects no byte.</summary>
    private static bool TryParse(ReadOnlySpan<char> spec, long length, out ByteRange? range)
    {
        range = null;
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        var left = spec[..dash].Trim();
        var right = spec[(dash + 1)..].Trim();
        if (left.IsEmpty)
        {
            // suffix-range: the last N bytes.
            if (!TryDigits(right, out var suffix))
            {
                return false;
            }

            if (suffix > 0 && length > 0)
            {
                range = new ByteRange(Math.Max(0, length - suffix), length - 1);
            }

            return true;
        }

        if (!TryDigits(left, out var firstPosition))
        {
            return false;
        }

        var last = long.MaxValue;
        if (!right.IsEmpty)
        {
            if (!TryDigits(right, out last))
            {
                return false;
            }

            if (last < firstPosition)
            {
                return false;
            }
        }

        if (firstPosition < length)
        {
            range = new ByteRange(firstPosition, Math.Min(last, length - 1));
        }

        return true;
    }

    /// <summary>ASCII digits only (no sign, no spaces inside); values past <see cref="long.MaxValue"/> saturate.</summary>
    private static bool TryDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            var digit = c - '0';
            value = value > (long.MaxValue - digit) / 10 ? long.MaxValue : (value * 10) + digit;
        }

        return true;
    }
}
