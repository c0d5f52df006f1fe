using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>The edge of every process: a start-up problem becomes one clear line and exit code 2.</summary>
public static class StartupFailure
{
    public const int ExitCode = 2;

    public static async Task<int> GuardAsync(Func<Task<int>> run, TextWriter error)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (Unwrap(ex) is StartupCheckException or CatalogueMigrationException)
        {
            await error.WriteLineAsync($"error: {Unwrap(ex).Message}");
            return ExitCode;
        }
        catch (Exception ex) when (Unwrap(ex) is OptionsValidationException invalid)
        {
            // Options validated at start (ValidateOnStart); each failure message names its key.
            await error.WriteLineAsync($"error: invalid configuration: {string.Join("; ", invalid.Failures)}");
            return ExitCode;
        }
    }

    /// <summary>The host wraps hosted-service failures (AggregateException); report the cause itself.</summary>
    private static Exception Unwrap(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : ex;
}
