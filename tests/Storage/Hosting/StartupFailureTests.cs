using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Startup;

namespace Enforcement.Media.Tests.Storage.Hosting;

/// <summary>Whatever escapes a process ends as a clear first line and an exit code, never an abort.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_start_up_problem_is_one_line_naming_the_setting_and_exit_code_2()
    {
        using var error = new StringWriter();

        var code = await StartupFailure.GuardAsync(() => throw new StartupCheckException("Store:S3:Bucket", "Bucket 'x' does not have Object Lock enabled."), error);

        Assert.Equal(StartupFailure.ExitCode, code);
        Assert.StartsWith("error: Bucket 'x' does not have Object Lock enabled. (check setting 'Store:S3:Bucket')", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Anything_unexpected_gives_a_first_line_then_its_details_and_exit_code_70()
    {
        using var error = new StringWriter();

        var code = await StartupFailure.GuardAsync(() => throw new AggregateException(new InvalidOperationException("the queue table vanished")), error);

        Assert.Equal(StartupFailure.UnexpectedExitCode, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("error: unexpected InvalidOperationException: the queue table vanished", lines[0].TrimEnd('\r'));
        Assert.Contains(lines.Skip(1), l => l.Contains("at Enforcement.Media.Tests.Storage.Hosting.StartupFailureTests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_that_succeeds_keeps_its_own_exit_code_and_writes_nothing()
    {
        using var error = new StringWriter();

        var code = await StartupFailure.GuardAsync(() => Task.FromResult(3), error);

        Assert.Equal(3, code);
        Assert.Empty(error.ToString());
    }
}
