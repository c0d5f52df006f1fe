using System.Text.RegularExpressions;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Deployment;

/// <summary>
/// docker-compose.cluster.yml, the layout beyond one machine, cannot run here (no Docker engine): it is
/// validated offline with Debian's docker-compose, and its parts are checked against each other — every
/// app and node behind nginx is a service of the file and every such service is behind nginx, the names
/// the replica streams under are the ones the primary waits for, MinIO's erasure set is the nodes and
/// drives the file defines, and the apps believe forwarded headers from the proxy's address only.
/// </summary>
public sealed partial class ClusterComposeTests
{
    private const string File = "docker-compose.cluster.yml";

    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["POSTGRES_PASSWORD"] = "test-password",
        ["EM_DB_OWNER_PASSWORD"] = "test-owner-password",
        ["EM_DB_APP_PASSWORD"] = "test-app-password",
        ["EM_DB_REPLICATION_PASSWORD"] = "test-replication-password",
        ["MINIO_ROOT_USER"] = "test-user",
        ["MINIO_ROOT_PASSWORD"] = "test-secret-123",
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Script(string name) => System.IO.File.ReadAllText(Path.Combine(Repository.Root, "scripts", "cluster", name));

    [Fact]
    public async Task The_cluster_file_is_valid()
    {
        var (exitCode, _, error) = await ExternalCommand.RunAsync("docker-compose", ["-f", File, "config", "-q"], Secrets, null, Token);

        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public async Task The_cluster_file_refuses_to_start_without_the_replication_password()
    {
        var environment = new Dictionary<string, string>(Secrets) { ["EM_DB_REPLICATION_PASSWORD"] = string.Empty };

        var (exitCode, _, error) = await ExternalCommand.RunAsync("docker-compose", ["-f", File, "config", "-q"], environment, null, Token);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("EM_DB_REPLICATION_PASSWORD", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nginx_balances_exactly_the_players_workers_and_minio_nodes_the_file_defines()
    {
        var services = ComposeConfig.Services(await ComposeConfig.NormalisedAsync(File, Secrets, Token));
        var nginx = Script("nginx.conf");

        foreach (var (upstream, prefix, port) in new[] { ("players", "player", 8080), ("workers", "ingest", 8080), ("minio", "minio", 9000) })
        {
            var block = Regex.Match(nginx, $@"upstream {upstream} \{{(?<body>[^}}]*)\}}").Groups["body"].Value;
            var servers = ServerLine().Matches(block).Select(m => m.Groups["host"].Value + ":" + m.Groups["port"].Value).Order().ToList();
            var defined = services.Where(s => Regex.IsMatch(s, $"^{prefix}\\d+$")).Select(s => $"{s}:{port}").Order().ToList();
            Assert.True(defined.Count >= 2, $"the file defines {defined.Count} {prefix} services: nothing to balance");
            Assert.Equal(defined, servers);
        }
    }

    [Theory]
    [InlineData("ingest1")]
    [InlineData("ingest3")]
    [InlineData("player1")]
    [InlineData("player2")]
    public async Task Every_app_reads_what_it_is_given_talks_to_the_catalogue_and_s3_through_the_proxy_and_believes_only_the_proxy(string service)
    {
        var environment = await ComposeConfig.EnvironmentOfAsync(File, service, Secrets, Token);
        var normalised = await ComposeConfig.NormalisedAsync(File, Secrets, Token);

        Assert.All(environment.Keys, name => Assert.True(ConfigurationKeys.IsRead(name), $"{service} sets {name}, which no options class or host setting reads"));
        Assert.Contains("Host=postgres", environment["ConnectionStrings__Catalogue"], StringComparison.Ordinal);
        Assert.Equal("S3", environment["Store__Kind"]);
        Assert.Equal("http://proxy:9000", environment["Store__S3__ServiceUrl"]);
        var proxyAddress = Regex.Match(normalised, @"ipv4_address: (?<address>[0-9.]+)").Groups["address"].Value;
        Assert.Equal(proxyAddress, environment["ForwardedHeaders__KnownProxies__0"]);
    }

    [Fact]
    public async Task The_replica_streams_under_the_name_and_slot_the_primary_waits_for()
    {
        var normalised = await ComposeConfig.NormalisedAsync(File, Secrets, Token);
        var waitsFor = Regex.Match(normalised, @"synchronous_standby_names=FIRST 1 \((?<name>\w+)\)").Groups["name"].Value;
        var replica = Script("postgres-replica.sh");
        var primary = Script("postgres-replication.sh");

        Assert.NotEmpty(waitsFor);
        Assert.Contains($"application_name={waitsFor}", replica, StringComparison.Ordinal);
        var slot = Regex.Match(primary, @"pg_create_physical_replication_slot\('(?<slot>\w+)'\)").Groups["slot"].Value;
        Assert.NotEmpty(slot);
        Assert.Contains($"--slot={slot}", replica, StringComparison.Ordinal);
        Assert.Contains($"primary_slot_name = '{slot}'", replica, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Minio_runs_one_erasure_set_over_the_four_nodes_and_their_eight_drives()
    {
        var normalised = await ComposeConfig.NormalisedAsync(File, Secrets, Token);
        var nodes = ComposeConfig.Services(normalised).Where(s => Regex.IsMatch(s, @"^minio\d+$")).ToList();

        Assert.Equal(4, nodes.Count);
        Assert.Equal(4, Regex.Count(normalised, Regex.Escape("http://minio{1...4}/data{1...2}")));
        foreach (var node in nodes)
        {
            Assert.Contains($"{node}-data1", normalised, StringComparison.Ordinal);
            Assert.Contains($"{node}-data2", normalised, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"server (?<host>[\w-]+):(?<port>\d+)")]
    private static partial Regex ServerLine();
}
