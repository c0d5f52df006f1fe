using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Enforcement.Media.Storage.Objects.FileSystem;

/// <summary>
/// fsync(2) on a directory, so a rename into it survives a power cut. .NET opens only files, so
/// this goes to libc directly (POSIX: a rename is durable once the directory itself is flushed).
/// </summary>
public static partial class DirectorySync
{
    private const int ReadOnly = 0x0000;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux

    public static void Flush(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"Cannot open directory '{path}' to flush it.");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), $"fsync of directory '{path}' failed.");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
