using System.Globalization;
using System.Text.RegularExpressions;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Probing;

/// <summary>
/// Reads ISO 6709 point strings as MP4/MOV files carry them (<c>©xyz</c> / <c>location</c>,
/// <c>com.apple.quicktime.location.ISO6709</c>): <c>±DD.D±DDD.D[±AAA.A][CRS…]/</c>, with the
/// degree-minute (<c>±DDMM.M</c>) and degree-minute-second (<c>±DDMMSS.S</c>) forms too.
/// </summary>
public static partial class Iso6709
{
    /// <summary>The raw text is always kept; coordinates are null when it cannot be read or is out of range.</summary>
    public static GeoLocation Parse(string text)
    {
        var match = Point().Match(text.Trim());
        if (!match.Success
            || Coordinate(match.Groups["lat"].Value, degreeDigits: 2) is not { } latitude
            || Coordinate(match.Groups["lon"].Value, degreeDigits: 3) is not { } longitude
            || Math.Abs(latitude) > 90 || Math.Abs(longitude) > 180)
        {
            return new GeoLocation(text, null, null, null);
        }

        double? altitude = match.Groups["alt"].Success ? double.Parse(match.Groups["alt"].Value, CultureInfo.InvariantCulture) : null;
        return new GeoLocation(text, latitude, longitude, altitude);
    }

    /// <summary>The integer part's length says the form: DD(D), DD(D)MM or DD(D)MMSS.</summary>
    private static double? Coordinate(string value, int degreeDigits)
    {
        var sign = value[0] == '-' ? -1 : 1;
        var body = value[1..];
        var point = body.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? body.Length : point;
        var number = double.Parse(body, CultureInfo.InvariantCulture);
        if (integerDigits == degreeDigits)
        {
            return sign * number;
        }

        if (integerDigits == degreeDigits + 2)
        {
            var degrees = Math.Floor(number / 100);
            return sign * (degrees + ((number - (degrees * 100)) / 60));
        }

        if (integerDigits == degreeDigits + 4)
        {
            var degrees = Math.Floor(number / 10000);
            var minutes = Math.Floor((number - (degrees * 10000)) / 100);
            var seconds = number - (degrees * 10000) - (minutes * 100);
            return sign * (degrees + (minutes / 60) + (seconds / 3600));
        }

        return null;
    }

    [GeneratedRegex(@"^(?<lat>[+-]\d+(?:\.\d+)?)(?<lon>[+-]\d+(?:\.\d+)?)(?<alt>[+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex Point();
}
