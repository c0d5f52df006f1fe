using Enforcement.Media.Ingest.Commands;
using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Ingest;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        CommandConsole.Configure();
        return StartupFailure.GuardAsync(() => IngestCommandLine.InvokeAsync(args), Console.Error);
    }
}
