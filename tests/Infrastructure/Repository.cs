namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>The checkout the tests were built from (the folder holding Enforcement.Media.sln).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Enforcement.Media.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Enforcement.Media.sln above {AppContext.BaseDirectory}.");
    }
}
