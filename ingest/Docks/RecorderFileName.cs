using System.Globalization;
using System.Text.RegularExpressions;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>
/// What a recorder's file name says, in the GA/T 947 style
/// <c>&lt;serial&gt;_&lt;officerId&gt;_&lt;yyyyMMddHHmmss&gt;[_IMP].&lt;ext&gt;</c>
/// (serial 7 characters, or 8 on some devices; officer ID 警号 6; <c>_IMP</c> marks a clip the
/// officer flagged as important). Variants are expected, so parsing never fails: whatever cannot be
/// read with confidence stays null, and the file is ingested all the same.
/// </summary>
/// <param name="RecordedAt">
/// The start time by the recorder's own clock, read in the recorders' zone. Kept as the recorder
/// reported it, even in 1970 or in the future: clocks drift, and correcting them is the reader's
/// decision, made with the station's measured offset.
/// </param>
/// <param name="Sequence">A trailing part number (<c>_0001</c>) or copy number (<c>(1)</c>), as written.</param>
public sealed partial record RecorderFileName(
    string Name,
    string? DeviceSerial,
    string? OfficerId,
    DateTimeOffset? RecordedAt,
    bool Important,
    string? Sequence)
{
    private const string TimestampFormat = "yyyyMMddHHmmss";

    /// <summary>Before this the name's clock reading is not a time at all (unset clocks read 1970 or 2000).</summary>
    private const int EarliestYear = 1900;

    private static readonly Lazy<TimeZoneInfo> China = new(() => TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    /// <summary>Parses with recorder clocks in China Standard Time (the <c>Docks:RecorderTimeZone</c> default).</summary>
    public static RecorderFileName Parse(string name) => Parse(name, China.Value);

    public static RecorderFileName Parse(string name, TimeZoneInfo recorderZone)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(recorderZone);
        var fileName = Path.GetFileName(name);
        var stem = Stem(fileName);

        string? sequence = null;
        if (CopySuffix().Match(stem) is { Success: true } copy)
        {
            stem = copy.Groups["stem"].Value;
            sequence = copy.Groups["n"].Value;
        }

        var tokens = stem.Split('_', StringSplitOptions.TrimEntries);
        var (at, width) = FindTimestamp(tokens);
        if (at < 0)
        {
            // No clock reading: only the plain "<serial>_<officer>…" opening is trusted.
            var leadingSerial = tokens.Length >= 2 && IsSerial(tokens[0]) && IsOfficer(tokens[1]);
            return new RecorderFileName(
                fileName,
                leadingSerial ? tokens[0] : null,
                leadingSerial ? tokens[1] : null,
                null,
                leadingSerial && tokens.Skip(2).Any(IsImportantMark),
                sequence);
        }

        var before = tokens[..at];
        string? serial = null;
        string? officer = null;
        if (before.Length >= 2)
        {
            // Some vendors put a prefix first (e.g. "DSJ_"): the two parts nearest the time are the ones the standard names.
            serial = IsSerial(before[^2]) ? before[^2] : null;
            officer = IsOfficer(before[^1]) ? before[^1] : null;
        }
        else if (before.Length == 1)
        {
            serial = IsSerial(before[0]) ? before[0] : null;
            officer = serial is null && IsOfficer(before[0]) ? before[0] : null;
        }

        var important = false;
        foreach (var token in tokens[(at + width)..])
        {
            if (IsImportantMark(token))
            {
                important = true;
            }
            else if (sequence is null && token.Length is >= 1 and <= 6 && token.All(char.IsAsciiDigit))
            {
                sequence = token;
            }
        }

        var local = width == 1 ? tokens[at] : tokens[at] + tokens[at + 1];
        return new RecorderFileName(fileName, serial, officer, ToRecorderTime(local, recorderZone), important, sequence);
    }

    /// <summary>The name without its extension (a leading dot is part of the name, not an extension).</summary>
    private static string Stem(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        return dot > 0 ? fileName[..dot] : fileName;
    }

    /// <summary>
    /// Index and width (1 or 2 parts) of the time: one 14-digit part, else an 8-digit date followed by
    /// a 6-digit time part (<c>20261122_080000</c>). -1 when there is none.
    /// </summary>
    private static (int At, int Width) FindTimestamp(string[] tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Length == 14 && IsTimestamp(tokens[i]))
            {
                return (i, 1);
            }
        }

        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            if (tokens[i].Length == 8 && tokens[i + 1].Length == 6 && IsTimestamp(tokens[i] + tokens[i + 1]))
            {
                return (i, 2);
            }
        }

        return (-1, 0);
    }

    private static bool IsTimestamp(string text) =>
        text.All(char.IsAsciiDigit) && DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static DateTimeOffset? ToRecorderTime(string text, TimeZoneInfo zone)
    {
        var local = DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None);
        if (local.Year < EarliestYear)
        {
            return null;
        }

        try
        {
            // A time skipped or repeated by a daylight-saving change gets the zone's standard offset.
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        catch (ArgumentOutOfRangeException)
        {
            // The reading does not exist as an instant (e.g. 9999-12-31 in a zone west of UTC).
            return null;
        }
    }

    private static bool IsSerial(string token) => token.Length is 7 or 8 && token.All(char.IsAsciiLetterOrDigit);

    private static bool IsOfficer(string token) => token.Length == 6 && token.All(char.IsAsciiLetterOrDigit);

    private static bool IsImportantMark(string token) => token.Equals("IMP", StringComparison.OrdinalIgnoreCase);

    /// <summary>"name (1)", "name(12)": what copy tools append to a name that already exists.</summary>
    [GeneratedRegex(@"^(?<stem>.*?)\s*\((?<n>\d{1,4})\)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CopySuffix();
}
