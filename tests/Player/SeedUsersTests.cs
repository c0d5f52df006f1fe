using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Startup;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Player;

/// <summary>Accounts listed in <c>Accounts:SeedUsers</c> are created at start with their units, once, and never changed afterwards.</summary>
public sealed class SeedUsersTests(PlayerApp app) : IClassFixture<PlayerApp>, IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_listed_account_is_created_with_its_unit_and_can_sign_in_at_once()
    {
        var (seed, password) = Seed($"S{Guid.NewGuid():N}"[..12]);

        await Seeder(seed).StartAsync(Token);

        var client = app.NewClient();
        Assert.Equal("/", (await PlayerApp.LoginAsync(client, seed.Username, password)).Headers.Location!.OriginalString); // not sent to change it first
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", Token);
        Assert.Equal(seed.UnitCode, me.GetProperty("unit").GetString());
        Assert.Equal([Roles.Reviewer], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(await app.Service<UnitStore>().ListAsync(Token), u => u.Code == seed.UnitCode && u.Name == "演示单位");
    }

    [Fact]
    public async Task An_existing_account_is_never_changed_by_a_later_start()
    {
        var (seed, password) = Seed($"S{Guid.NewGuid():N}"[..12]);
        await Seeder(seed).StartAsync(Token);
        await File.WriteAllTextAsync(seed.PasswordFile, "a different password now", Token);
        seed.Roles = [Roles.Supervisor];

        await Seeder(seed).StartAsync(Token);

        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(app.NewClient(), seed.Username, password)).StatusCode);
        Assert.Equal([Roles.Reviewer], (await app.Service<UserStore>().FindForLoginAsync(seed.Username, Token))!.Value.User.Roles);
    }

    [Fact]
    public async Task A_password_file_that_cannot_be_read_stops_start_up_naming_the_setting()
    {
        var (seed, _) = Seed($"S{Guid.NewGuid():N}"[..12]);
        seed.PasswordFile = _folder.Combine("missing");

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => Seeder(seed).StartAsync(Token));

        Assert.Contains("Accounts:SeedUsers:0:PasswordFile", error.Message, StringComparison.Ordinal);
        Assert.Null(await app.Service<UserStore>().FindForLoginAsync(seed.Username, Token));
    }

    public void Dispose() => _folder.Dispose();

    private (SeedUser Seed, string Password) Seed(string unit)
    {
        var password = $"pw-{Guid.NewGuid():N}";
        var file = _folder.Combine($"{unit}.password");
        File.WriteAllText(file, password + "\n");
        return (new SeedUser { Username = $"seed{Guid.NewGuid():N}"[..20], DisplayName = "演示阅卷员", Roles = [Roles.Reviewer], UnitCode = unit, UnitName = "演示单位", PasswordFile = file }, password);
    }

    private SeedUsers Seeder(SeedUser seed) => new(
        app.Service<UserStore>(),
        app.Service<UnitStore>(),
        app.Service<AccountService>(),
        app.Service<AdminService>(),
        Options.Create(new AccountOptions { SeedUsers = [seed] }),
        NullLogger<SeedUsers>.Instance);
}
