using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>The console the ingest commands write their tables and progress to.</summary>
internal static class CommandConsole
{
    /// <summary>Wide enough for a recordings row or a SHA-256 with its file name on one line.</summary>
    public const int RedirectedWidth = 240;

    /// <summary>
    /// Redirected output (a log, a pipe, a script) gets a wide virtual width, so a row stays on one
    /// line for whoever reads, copies or greps it; Spectre would otherwise assume 80 columns and
    /// wrap every cell. A terminal keeps its own width.
    /// </summary>
    public static IAnsiConsole Configure()
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = Math.Max(console.Profile.Width, RedirectedWidth);
        }

        return console;
    }
}
