using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>
/// A migrated catalogue of its own, a staging folder and a filesystem evidence store, and the real
/// ingest web app over them (Kestrel on a loopback port, job worker included).
/// </summary>
public sealed class UploadServerFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public CatalogueFixture Catalogue { get; } = new();

    public IngestServer Server { get; private set; } = null!;

    public string UploadFolder => _folder.Combine("uploads");

    public string EvidenceRoot => _folder.Combine("evidence");

    public TempFolder Folder => _folder;

    public ApiKeyStore Keys => new(Catalogue.DataSource, new AuditTrail(Catalogue.DataSource, TimeProvider.System), TimeProvider.System);

    public async ValueTask InitializeAsync()
    {
        await Catalogue.InitializeAsync();
        Server = await StartServerAsync();
    }

    /// <summary>Another ingest process over the same catalogue, staging folder and store (a restart).</summary>
    public Task<IngestServer> StartServerAsync(params string[] settings) =>
        IngestServer.StartAsync(Catalogue, UploadFolder, EvidenceRoot, settings);

    public async Task<(ApiKey Key, string Token)> CreateKeyAsync(ApiKeyKind kind = ApiKeyKind.Device, string? stationId = null)
    {
        var issued = await Keys.CreateAsync(UniqueName.For(kind == ApiKeyKind.Station ? "DOCK-" : "PHONE-"), kind, stationId, "user:test", CancellationToken.None);
        return (issued.Key, issued.Token);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Catalogue.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Catalogue.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    public string[] StagingFiles() => Directory.Exists(UploadFolder) ? Directory.GetFiles(UploadFolder) : [];

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await Catalogue.DisposeAsync();
        _folder.Dispose();
    }
}
