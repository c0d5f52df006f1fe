using System.Diagnostics;
using System.Globalization;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// A tmpfs of a chosen size (root only): a disk that really fills up, or whose free space is known
/// exactly. Its size is a limit, not memory taken, so it may be far larger than what is written.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount Create(string path, long sizeKiB)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={sizeKiB}k"), "tmpfs", path);
        return new TmpfsMount(path);
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error} — this test needs root to mount a tmpfs.");
    }
}
