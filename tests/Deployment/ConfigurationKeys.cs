using System.Reflection;

namespace Enforcement.Media.Tests.Deployment;

/// <summary>
/// Every configuration key the apps read, found from the code itself: each options class declares
/// its section in a <c>Section</c> constant, and its settable properties are the keys.
/// </summary>
public static class ConfigurationKeys
{
    /// <summary>Keys read by the ASP.NET Core host itself or outside options classes.</summary>
    private static readonly string[] HostKeys = ["ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "Urls"];

    public static IReadOnlyList<Assembly> Assemblies { get; } =
    [
        typeof(Enforcement.Media.Storage.StorageServiceCollectionExtensions).Assembly,
        typeof(Enforcement.Media.Ingest.Agent.AgentOptions).Assembly,
        typeof(Program).Assembly,
    ];

    /// <summary>Section:Property for every options class.</summary>
    public static IReadOnlyList<string> OptionKeys { get; } =
    [
        .. Assemblies
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Section is { IsLiteral: true } && x.Section.FieldType == typeof(string))
            .SelectMany(x => x.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite)
                .Select(p => $"{x.Section!.GetRawConstantValue()}:{p.Name}"))
            .Distinct()
            .Order(StringComparer.Ordinal),
        Enforcement.Media.Storage.Catalogue.CatalogueOptions.ConnectionStringKey,
    ];

    /// <summary>
    /// True when the environment variable <paramref name="name"/> (e.g. <c>Store__S3__Bucket</c>,
    /// <c>Docks__Roots__0</c>) sets a key the apps read.
    /// </summary>
    public static bool IsRead(string name)
    {
        if (HostKeys.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var key = name.Replace("__", ":", StringComparison.Ordinal);
        if (key.StartsWith("Serilog:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // An array element: Docks:Roots:0 sets Docks:Roots.
        var parts = key.Split(':');
        if (parts.Length > 1 && int.TryParse(parts[^1], out _))
        {
            key = string.Join(':', parts[..^1]);
        }

        return OptionKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
    }
}
