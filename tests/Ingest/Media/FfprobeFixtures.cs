using System.Runtime.CompilerServices;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// ffprobe JSON recorded from the real ffprobe by <c>tests/Fixtures/ffprobe/record.sh</c>, read from the
/// source tree (tests always run from the checkout they were built from).
/// </summary>
public static class FfprobeFixtures
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder(), name + ".json"));

    private static string Folder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Fixtures", "ffprobe"));
}
