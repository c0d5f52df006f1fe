using System.Text.RegularExpressions;

namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// A recorder's serial as the register keeps it: trimmed of spaces and upper case, since recorders and the
/// tools that rename their files disagree on case (<c>a123456_…</c> and <c>A123456_…</c> are one recorder);
/// the catalogue compares deliveries on <c>upper(btrim(device_serial))</c> the same way. ASCII letters and
/// digits, <c>. _ -</c>, at least one digit, at most 64 characters (migration 0019 checks the same): with
/// ASCII only, C# and PostgreSQL upper-case alike whatever the collation.
/// </summary>
public static partial class RecorderSerial
{
    public const string Rule = "a serial is 1–64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit and holding at least one digit";

    /// <summary>The register's form of <paramref name="reported"/>, or null when it is no serial.</summary>
    public static string? Normalise(string? reported)
    {
        var serial = reported?.Trim(' ');
        return serial is not null && Form().IsMatch(serial) && serial.Any(char.IsAsciiDigit) ? serial.ToUpperInvariant() : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex Form();
}
