using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Deployment;

public sealed class ReadmeTests
{
    [Fact]
    public async Task The_readme_documents_every_configuration_key_the_apps_read()
    {
        var readme = await File.ReadAllTextAsync(Repository.PathOf("README.md"), TestContext.Current.CancellationToken);

        var undocumented = ConfigurationKeys.OptionKeys.Where(key => !readme.Contains($"`{key}`", StringComparison.Ordinal)).ToList();

        Assert.True(undocumented.Count == 0, $"README.md does not document: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public async Task The_readme_gives_the_two_commands_and_ci_runs_the_test_one()
    {
        var readme = await File.ReadAllTextAsync(Repository.PathOf("README.md"), TestContext.Current.CancellationToken);
        var ci = await File.ReadAllTextAsync(Repository.PathOf(".ci", "run"), TestContext.Current.CancellationToken);

        Assert.Contains("scripts/start.sh", readme, StringComparison.Ordinal);
        Assert.Contains("scripts/test.sh", readme, StringComparison.Ordinal);
        Assert.Contains("scripts/test.sh", ci, StringComparison.Ordinal);
    }
}
