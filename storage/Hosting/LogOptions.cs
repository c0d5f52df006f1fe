namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Configuration section <c>Logs</c>: where the log goes besides the console. Levels stay in the
/// <c>Serilog</c> section (<c>Serilog:MinimumLevel</c>), which every destination follows.
/// </summary>
public sealed class LogOptions
{
    public const string Section = "Logs";

    /// <summary>
    /// A file to write every event to as compact JSON (CLEF: one object a line, for log shippers); empty
    /// means none. Rolled daily (the date goes before the extension) and at 1 GiB; several processes may
    /// write the same file.
    /// </summary>
    public string? JsonFile { get; set; }

    /// <summary>How long rolled JSON files are kept before they are deleted.</summary>
    public TimeSpan JsonFileRetention { get; set; } = TimeSpan.FromDays(31);

    /// <summary>
    /// Also print the one line per HTTP request on the console. Off by default: a reviewer's playback
    /// alone is a request per range, which would bury the warnings people read the console for.
    /// </summary>
    public bool RequestsOnConsole { get; set; }
}
