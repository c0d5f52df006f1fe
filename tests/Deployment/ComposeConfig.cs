using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Deployment;

/// <summary>A compose file as Debian's docker-compose normalises it (<c>config</c>): anchors merged, variables substituted.</summary>
public static class ComposeConfig
{
    public static async Task<string> NormalisedAsync(string file, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await ExternalCommand.RunAsync("docker-compose", ["-f", file, "config"], environment, null, cancellationToken);
        Assert.True(exitCode == 0, error);
        return output;
    }

    /// <summary>Reads one service's environment from docker-compose's normalised output.</summary>
    public static async Task<Dictionary<string, string>> EnvironmentOfAsync(string file, string service, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        var output = await NormalisedAsync(file, secrets, cancellationToken);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        string? currentService = null;
        var inEnvironment = false;
        foreach (var line in output.Split('\n'))
        {
            var indent = line.Length - line.TrimStart().Length;
            var text = line.Trim();
            if (indent == 2 && text.EndsWith(':'))
            {
                currentService = text.TrimEnd(':');
                inEnvironment = false;
            }
            else if (indent == 4)
            {
                inEnvironment = text == "environment:";
            }
            else if (inEnvironment && indent == 6 && currentService == service && text.Contains(": ", StringComparison.Ordinal))
            {
                var separator = text.IndexOf(": ", StringComparison.Ordinal);
                environment[text[..separator]] = text[(separator + 2)..].Trim('"', '\'');
            }
        }

        return environment;
    }

    /// <summary>The names of the services the normalised file defines, in its order.</summary>
    public static IReadOnlyList<string> Services(string normalised)
    {
        var services = new List<string>();
        var inServices = false;
        foreach (var line in normalised.Split('\n'))
        {
            var indent = line.Length - line.TrimStart().Length;
            var text = line.Trim();
            if (indent == 0 && text.Length > 0)
            {
                inServices = text == "services:";
            }
            else if (inServices && indent == 2 && text.EndsWith(':'))
            {
                services.Add(text.TrimEnd(':'));
            }
        }

        return services;
    }
}
