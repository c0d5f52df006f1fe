using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Credentials;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>Station and device keys: stored only as hashes, revocable at once, audited, managed with <c>ingest keys</c>.</summary>
public sealed class ApiKeyTests(CatalogueFixture catalogue) : IClassFixture<CatalogueFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ApiKeyStore Keys => new(catalogue.DataSource, new AuditTrail(catalogue.DataSource, TimeProvider.System), TimeProvider.System);

    [Fact]
    public async Task A_new_key_is_shown_once_and_only_the_hash_of_its_secret_is_stored()
    {
        var issued = await Keys.CreateAsync(UniqueName.For("DOCK-"), ApiKeyKind.Station, "DOCK-01", "user:test", Token);

        Assert.Matches("^em_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$", issued.Token);
        Assert.Equal(issued.Key.Id.ToString("N"), issued.Token[3..35]);
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        var stored = await connection.QuerySingleAsync<byte[]>("SELECT secret_sha256 FROM api_keys WHERE id = @Id", new { issued.Key.Id });
        var secret = Convert.FromBase64String(issued.Token[36..].Replace('-', '+').Replace('_', '/') + "=");
        Assert.Equal(SHA256.HashData(secret), stored);
        var row = await connection.QuerySingleAsync<string>("SELECT row_to_json(k)::text FROM api_keys k WHERE id = @Id", new { issued.Key.Id });
        Assert.DoesNotContain(issued.Token[36..], row, StringComparison.Ordinal);
        var authenticated = await Keys.AuthenticateAsync(issued.Token, Token);
        Assert.Equal((issued.Key.Id, issued.Key.Name, ApiKeyKind.Station, "DOCK-01"), (authenticated!.Id, authenticated.Name, authenticated.Kind, authenticated.StationId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("em_")]
    [InlineData("em_zz345678901234567890123456789012_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("xx_01a20128dea57206bbafe0b1647678d3_TtISWLHDXPWqTU3LeDaS1GwmtF9nTcj3D0EAaZ_Vq5I")]
    [InlineData("em_01a20128dea57206bbafe0b1647678d3_TtISWLHDXPWqTU3LeDaS1GwmtF9nTcj3D0EAaZ_Vq5I")]
    [InlineData("em_01a20128dea57206bbafe0b1647678d3_TtISWLHDXPWqTU3LeDaS1GwmtF9nTcj3D0EAaZ_Vq5I ")]
    public async Task Malformed_or_unknown_tokens_authenticate_nothing(string? token)
    {
        Assert.Null(await Keys.AuthenticateAsync(token, Token));
    }

    [Fact]
    public async Task The_right_id_with_a_wrong_secret_authenticates_nothing()
    {
        var issued = await Keys.CreateAsync(UniqueName.For("PHONE-"), ApiKeyKind.Device, null, "user:test", Token);
        var other = SecretToken.StationKey.Issue(issued.Key.Id).Text;

        Assert.Null(await Keys.AuthenticateAsync(other, Token));
        Assert.NotNull(await Keys.AuthenticateAsync(issued.Token, Token));
    }

    [Fact]
    public async Task Revocation_takes_effect_at_once_and_creation_and_revocation_are_audited()
    {
        var issued = await Keys.CreateAsync(UniqueName.For("PHONE-"), ApiKeyKind.Device, null, "user:alice", Token);
        Assert.NotNull(await Keys.AuthenticateAsync(issued.Token, Token));

        var revoked = await Keys.RevokeAsync(issued.Key.Name, "user:bob", Token);
        var again = await Keys.RevokeAsync(issued.Key.Id.ToString(), "user:carol", Token);

        Assert.Null(await Keys.AuthenticateAsync(issued.Token, Token));
        Assert.True(revoked!.IsRevoked);
        Assert.Equal("user:bob", again!.RevokedBy);
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        var events = (await connection.QueryAsync<(string Actor, string Action)>(
            "SELECT actor, action FROM audit_outbox WHERE subject_type = 'api-key' AND subject_id = @Id ORDER BY id", new { Id = issued.Key.Id.ToString() })).ToList();
        Assert.Equal([("user:alice", "api-key.created"), ("user:bob", "api-key.revoked")], events);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData("semi;colon")]
    public async Task A_key_name_that_cannot_serve_as_an_audit_actor_is_refused(string name)
    {
        await Assert.ThrowsAsync<ApiKeyException>(() => Keys.CreateAsync(name, ApiKeyKind.Device, null, "user:test", Token));
    }

    [Fact]
    public async Task A_name_is_never_reused_even_after_revocation()
    {
        var name = UniqueName.For("DOCK-");
        await Keys.CreateAsync(name, ApiKeyKind.Station, null, "user:test", Token);
        await Keys.RevokeAsync(name, "user:test", Token);

        var ex = await Assert.ThrowsAsync<ApiKeyException>(() => Keys.CreateAsync(name, ApiKeyKind.Station, null, "user:test", Token));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_keys_command_creates_lists_and_revokes_keys()
    {
        var name = UniqueName.For("DOCK-").ToUpperInvariant();

        var created = await IngestAsync("keys", "create", "--name", name, "--kind", "station");
        var list = await IngestAsync("keys", "list");
        var revoked = await IngestAsync("keys", "revoke", name);
        var unknown = await IngestAsync("keys", "revoke", "NO-SUCH-KEY");

        Assert.True(created.ExitCode == 0, created.Output);
        var token = created.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("em_", StringComparison.Ordinal));
        var key = await Keys.FindAsync(name, Token);
        Assert.Equal((ApiKeyKind.Station, name), (key!.Kind, key.StationId));
        Assert.True(list.ExitCode == 0, list.Output);
        Assert.Contains(key.Id.ToString()[..8], list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list.Output, StringComparison.Ordinal);
        Assert.True(revoked.ExitCode == 0, revoked.Output);
        Assert.Null(await Keys.AuthenticateAsync(token, Token));
        Assert.Equal(1, unknown.ExitCode);
    }

    private async Task<(int ExitCode, string Output)> IngestAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
            Environment =
            {
                ["ConnectionStrings__Catalogue"] = TestServices.PostgresConnection,
                ["Catalogue__Schema"] = catalogue.Schema,
                ["Serilog__MinimumLevel__Default"] = "Warning",
                ["COLUMNS"] = "200",
            },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Token);
        var stderr = process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);
        return (process.ExitCode, new StringBuilder(await stdout).Append(await stderr).ToString());
    }
}
