using System.Net;
using System.Net.Sockets;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// The real player on Kestrel at a free loopback port (a browser cannot reach a TestServer), over a given
/// catalogue schema and filesystem store root — the ones the media pipeline filled with real footage.
/// </summary>
public sealed class KestrelPlayer : WebApplicationFactory<Program>
{
    public const string AdminPassword = "browser-admin-password";
    private readonly string _schema;
    private readonly string _storeRoot;

    public KestrelPlayer(string schema, string storeRoot)
    {
        _schema = schema;
        _storeRoot = storeRoot;
        Port = FreePort();
        UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The player's own wwwroot (site.css, js/player.js): the test binaries' folder has none.
        builder.UseWebRoot(Repository.PathOf("player", "wwwroot"));
        builder.UseSetting("ConnectionStrings:Catalogue", TestServices.PostgresConnection);
        builder.UseSetting("ConnectionStrings:CatalogueOwner", TestServices.PostgresOwnerConnection);
        builder.UseSetting("Catalogue:Schema", _schema);
        builder.UseSetting("Store:Kind", "FileSystem");
        builder.UseSetting("Store:FileSystem:Root", _storeRoot);
        builder.UseSetting("Accounts:PasswordIterations", "1000");
        builder.UseSetting("Accounts:BootstrapAdminPassword", AdminPassword);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
