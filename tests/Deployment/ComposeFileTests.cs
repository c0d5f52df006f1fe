using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Deployment;

/// <summary>
/// docker-compose.yml cannot be run here (no Docker engine), so it is validated offline with
/// Debian's docker-compose and checked against the configuration keys the code reads.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["POSTGRES_PASSWORD"] = "test-password",
        ["EM_DB_OWNER_PASSWORD"] = "test-owner-password",
        ["EM_DB_APP_PASSWORD"] = "test-app-password",
        ["MINIO_ROOT_USER"] = "test-user",
        ["MINIO_ROOT_PASSWORD"] = "test-secret-123",
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_compose_file_is_valid()
    {
        var (exitCode, _, error) = await ExternalCommand.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], Secrets, null, Token);

        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public async Task The_compose_file_refuses_to_start_without_its_secrets()
    {
        var (exitCode, _, error) = await ExternalCommand.RunAsync(
            "docker-compose", ["-f", "docker-compose.yml", "config", "-q"], new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = string.Empty }, null, Token);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("POSTGRES_PASSWORD", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("player")]
    public async Task Every_variable_set_for_an_app_is_a_configuration_key_it_reads(string service)
    {
        var environment = await EnvironmentOfAsync(service);

        Assert.NotEmpty(environment);
        Assert.All(environment.Keys, name => Assert.True(ConfigurationKeys.IsRead(name), $"{service} sets {name}, which no options class or host setting reads"));
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("player")]
    public async Task Each_app_is_pointed_at_postgres_and_the_object_lock_store(string service)
    {
        var environment = await EnvironmentOfAsync(service);

        Assert.Contains("Host=postgres", environment["ConnectionStrings__Catalogue"], StringComparison.Ordinal);
        Assert.Equal("S3", environment["Store__Kind"]);
        Assert.Equal("http://minio:9000", environment["Store__S3__ServiceUrl"]);
        Assert.Equal(Secrets["MINIO_ROOT_USER"], environment["Store__S3__AccessKey"]);
    }

    [Fact]
    public async Task Minio_is_pinned_to_a_release_tag()
    {
        var (_, output, _) = await ExternalCommand.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"], Secrets, null, Token);

        Assert.Matches(@"image: minio/minio:RELEASE\.\d{4}-\d{2}-\d{2}T", output);
    }

    private static Task<Dictionary<string, string>> EnvironmentOfAsync(string service) =>
        ComposeConfig.EnvironmentOfAsync("docker-compose.yml", service, Secrets, Token);
}
