using System.Globalization;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Which text a request may carry. PostgreSQL cannot store a NUL in text at all (SQLSTATE 22021), so it
/// is refused before anything reads it. The other control characters (C0 and C1, DEL) are refused too,
/// tab, line feed and carriage return excepted: no name, number, reason or note needs them, and stored
/// in a reason or a note they stay in the audit trail for good, where an escape sequence would rewrite
/// the terminal of whoever reads a log or an export, and a backspace would hide what was written.
/// (Text that is not Unicode never gets this far: URL and form decoding replace invalid UTF-8, and the
/// JSON reader refuses an unpaired surrogate escape.)
/// </summary>
public static class TextInput
{
    /// <summary>Why <paramref name="value"/> cannot be accepted, naming the character and its position; null when it can.</summary>
    public static string? Refusal(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsControl(c) || c is '\t' or '\n' or '\r')
            {
                continue;
            }

            return c == '\0'
                ? string.Create(CultureInfo.InvariantCulture, $"Contains a NUL character (U+0000) at character {i + 1}; text may not hold NUL.")
                : string.Create(CultureInfo.InvariantCulture, $"Contains the control character U+{(int)c:X4} at character {i + 1}; text may hold tabs and line breaks but no other control characters.");
        }

        return null;
    }
}
