namespace Enforcement.Media.Player.Display;

/// <summary>
/// Configuration section <c>Display</c>: how the player shows times to people. Every page, CSV and report
/// shows an instant in <see cref="TimeZone"/> with its offset, and a plain day typed into a filter is a day
/// of that zone; the JSON API answers ISO 8601 instants, whose offset says what they mean on their own.
/// </summary>
public sealed class DisplayOptions
{
    public const string Section = "Display";

    public const string DefaultTimeZone = "Asia/Shanghai";

    /// <summary>An IANA time zone id (<c>Asia/Shanghai</c>, <c>UTC</c>); an unknown id stops start-up.</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;
}
