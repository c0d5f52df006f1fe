using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Startup;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// The edge of every process: a start-up problem becomes one clear line and exit code 2; anything
/// else that escapes becomes one line, its details, and exit code 70.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 2;

    /// <summary>EX_SOFTWARE (sysexits.h): a failure nobody anticipated, a defect or an unnamed outage.</summary>
    public const int UnexpectedExitCode = 70;

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
        catch (Exception ex)
        {
            // Left to the runtime, this would abort the process (SIGABRT, a core dump) with the stack
            // trace as the only message. The line first, then the details for whoever investigates.
            var cause = Unwrap(ex);
            await error.WriteLineAsync($"error: unexpected {cause.GetType().Name}: {cause.Message}");
            await error.WriteLineAsync(ex.ToString());
            return UnexpectedExitCode;
        }
    }

    /// <summary>The host wraps hosted-service failures (AggregateException); report the cause itself.</summary>
    private static Exception Unwrap(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : ex;
}
