using System.Text;

namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>
/// Writes an argument list as one POSIX shell line, for messages and logs only: the process itself is
/// always started with <c>ProcessStartInfo.ArgumentList</c>, so nothing here is ever parsed by a shell.
/// Quoted so the line can be pasted into a shell to reproduce a failure.
/// </summary>
public static class CommandLines
{
    public static string Format(string program, IEnumerable<string> arguments)
    {
        var line = new StringBuilder(Quote(program));
        foreach (var argument in arguments)
        {
            line.Append(' ').Append(Quote(argument));
        }

        return line.ToString();
    }

    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(IsSafe))
        {
            return argument;
        }

        // Inside single quotes nothing is special except the single quote itself: close, escape, reopen.
        return "'" + argument.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '+' or '@' or '%';
}
