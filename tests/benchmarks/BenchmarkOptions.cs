using System.Globalization;

namespace Enforcement.Media.Benchmarks;

/// <summary>Reads <c>--name value</c> pairs.</summary>
internal static class BenchmarkOptions
{
    public static int Int(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static string Text(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    public static string Environment(string name) =>
        System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: start PostgreSQL with scripts/lib/postgres.sh and source its env file.");
}
