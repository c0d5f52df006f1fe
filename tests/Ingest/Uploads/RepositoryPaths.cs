namespace Enforcement.Media.Tests.Ingest.Uploads;

public static class RepositoryPaths
{
    /// <summary>The checkout's root (the folder holding Enforcement.Media.sln), found from the test binaries upwards.</summary>
    public static string Root { get; } = Find();

    private static string Find()
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
