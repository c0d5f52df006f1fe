using System.Net;
using System.Text.RegularExpressions;
using Enforcement.Media.Player.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// The real player app (WebApplicationFactory) over a schema of its own on the test PostgreSQL and a
/// filesystem store in a temp folder. Password hashing is cheapened for speed; everything else is real.
/// </summary>
public sealed partial class PlayerApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "bootstrap-admin-password";

    /// <summary>The header a test sets to choose the client address a request comes from (see <see cref="ClientAddressFromHeader"/>).</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";
    private readonly TempFolder _store = new();
    private readonly TempFolder _keys = new();
    private readonly IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();
    private readonly bool _onKestrel;
    private readonly TimeProvider? _time;

    public PlayerApp()
    {
    }

    /// <summary>The player on <paramref name="time"/> in place of the system clock, for tests that move time themselves.</summary>
    internal PlayerApp(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>
    /// The player on Kestrel at a loopback port, with extra settings: for what an in-memory server cannot
    /// show, such as the address a request comes from (every request here comes from 127.0.0.1).
    /// </summary>
    internal PlayerApp(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        _onKestrel = true;
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public string Schema { get; } = UniqueName.For("p_");

    /// <summary>The agency key that signs export packages (<c>Export:SigningKeyPath</c>).</summary>
    public string ExportKeyPath => _keys.Combine("export-signing-key.pem");

    /// <summary>An audit signing key the player trusts (<c>Audit:TrustedKeyPaths</c>) but does not hold: tests sign checkpoints with it.</summary>
    public string AuditKeyPath => _keys.Combine("audit-signing-key.pem");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Catalogue", TestServices.PostgresConnection);
        builder.UseSetting("ConnectionStrings:CatalogueOwner", TestServices.PostgresOwnerConnection);
        builder.UseSetting("Catalogue:Schema", Schema);
        builder.UseSetting("Store:Kind", "FileSystem");
        builder.UseSetting("Store:FileSystem:Root", _store.Path);
        builder.UseSetting("Accounts:PasswordIterations", "1000");
        builder.UseSetting("Accounts:BootstrapAdminPassword", AdminPassword);
        WriteKeys();
        builder.UseSetting("Export:SigningKeyPath", ExportKeyPath);
        builder.UseSetting("Audit:TrustedKeyPaths:0", _keys.Combine("audit-public-key.pem"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (!_onKestrel)
        {
            // On Kestrel requests have a real peer (and forwarded headers are what is under test there).
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ClientAddressFromHeader>());
        }

        if (_time is not null)
        {
            // After the app's own registrations, so every service that asks for a TimeProvider gets this one.
            builder.ConfigureTestServices(services => services.AddSingleton(_time));
        }
    }

    public ValueTask InitializeAsync()
    {
        StartServer(); // start the host: migrations, store checks, first admin
        return ValueTask.CompletedTask;
    }

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Creates a user with the given roles and returns a client signed in as them (cookie session).</summary>
    public async Task<(HttpClient Client, UserAccount User)> SignedInAsync(string[] roles, string? unit = null, string? password = null)
    {
        password ??= $"pw-{Guid.NewGuid():N}";
        var user = await Service<AccountService>().CreateAsync($"u{Guid.NewGuid():N}"[..20], "Test User", unit, roles, password, mustChangePassword: false, "user:test", CancellationToken.None);
        var client = NewClient();
        var response = await LoginAsync(client, user.Username, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, user);
    }

    /// <summary>
    /// A client that keeps its cookies and follows no redirect. In memory it has an address of its own
    /// (random in 10/8), as separate people do: the sign-in throttle counts failures per source, and one
    /// shared address would make every test's failures count together.
    /// </summary>
    public HttpClient NewClient() => _onKestrel
        ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress }
        : NewClient($"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");

    /// <summary>A client whose every request comes from <paramref name="address"/> (<see cref="ClientAddressHeader"/>; in memory only).</summary>
    public HttpClient NewClient(string address)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(ClientAddressHeader, address);
        return client;
    }

    /// <summary>A client that keeps its cookies in <paramref name="cookies"/>, where a test can read or copy them (in memory only).</summary>
    public HttpClient NewClient(CookieContainer cookies)
    {
        var client = CreateDefaultClient(new CookieContainerHandler(cookies));
        client.DefaultRequestHeaders.Add(ClientAddressHeader, $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        return client;
    }

    /// <summary>Where clients reach the app: Kestrel's own address when it runs on Kestrel, else the in-memory server's.</summary>
    public Uri BaseAddress => _onKestrel
        ? new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First())
        : ClientOptions.BaseAddress;

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string username, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/accounts/login");
        return await client.PostAsync("/accounts/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = username,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>Reads the antiforgery token a page's form carries (the matching cookie stays in the client).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page) => AntiforgeryTokenIn(await client.GetStringAsync(page), page);

    /// <summary>The antiforgery token of the form in <paramref name="html"/>, the page at <paramref name="page"/>.</summary>
    public static string AntiforgeryTokenIn(string html, string page) =>
        TokenField().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"{page} has no antiforgery token.");

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await using (var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }

        _store.Dispose();
        _keys.Dispose();
    }

    private void WriteKeys()
    {
        if (File.Exists(ExportKeyPath))
        {
            return;
        }

        using var export = Enforcement.Media.Storage.Audit.Checkpoints.AuditSigningKey.Generate();
        File.WriteAllText(ExportKeyPath, export.ExportPrivateKeyPem());
        using var audit = Enforcement.Media.Storage.Audit.Checkpoints.AuditSigningKey.Generate();
        File.WriteAllText(AuditKeyPath, audit.ExportPrivateKeyPem());
        File.WriteAllText(_keys.Combine("audit-public-key.pem"), audit.PublicKey.Pem);
    }

    /// <summary>
    /// The in-process test server has no network peer: a request's <c>X-Test-Client-Address</c> header
    /// plays the client's address, so tests can sign in "from" different sources.
    /// </summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientAddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return following(context);
            });
            next(app);
        };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
