using System.Net.Http.Headers;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>The real ingest web app (IngestHost, as <c>ingest run</c> builds it) on a loopback port, in this process.</summary>
public sealed class IngestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IngestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri UploadsEndpoint => new(BaseAddress, "/api/v1/uploads");

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Extra configuration as <c>Key:Path=value</c>, overriding the test defaults.</param>
    public static async Task<IngestServer> StartAsync(CatalogueFixture catalogue, string uploadFolder, string evidenceRoot, params string[] settings)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Catalogue={TestServices.PostgresConnection}",
            $"--Catalogue:Schema={catalogue.Schema}",
            "--Store:Kind=FileSystem",
            $"--Store:FileSystem:Root={evidenceRoot}",
            $"--Uploads:Folder={uploadFolder}",
            "--Uploads:MinimumFreeBytes=0",
            "--Jobs:PollInterval=00:00:00.100",
            "--Jobs:RetryDelay=00:00:00.500",
            "--Jobs:MaxRetryDelay=00:00:02",
            "--Serilog:MinimumLevel:Default=Warning",
            .. settings.Select(s => $"--{s}"),
        ];
        var app = IngestHost.Build(args);
        await app.StartAsync(CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IngestServer(app, new Uri(address));
    }

    /// <summary>A client that sends this key (if any) and <c>Tus-Resumable: 1.0.0</c> with every request.</summary>
    public HttpClient Client(string? token, bool tusResumable = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (tusResumable)
        {
            client.DefaultRequestHeaders.Add("Tus-Resumable", "1.0.0");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
