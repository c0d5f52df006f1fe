using Dapper;
using Enforcement.Media.Ingest.Alerts;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Tests.Ingest.Alerts;

/// <summary>
/// The ingest app as it ships (<see cref="IngestHost"/>), over a catalogue of its own and a filesystem store,
/// with webhooks configured to loopback receivers; its job loop is driven here one job at a time.
/// </summary>
public sealed class AlertWorld : IAsyncDisposable
{
    public const string Secret = "0123456789abcdef0123456789abcdef-test-secret";

    private readonly TempFolder _store;
    private readonly bool _ownsCatalogueAndStore;

    private AlertWorld(CatalogueFixture catalogue, TempFolder store, WebApplication app, bool ownsCatalogueAndStore)
    {
        Catalogue = catalogue;
        _store = store;
        App = app;
        _ownsCatalogueAndStore = ownsCatalogueAndStore;
    }

    public CatalogueFixture Catalogue { get; }

    public WebApplication App { get; }

    public string StoreRoot => _store.Path;

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A world over a new catalogue and store, or over <paramref name="catalogue"/> and <paramref name="store"/>, which it then leaves to the caller.</summary>
    public static async Task<AlertWorld> StartAsync(IReadOnlyDictionary<string, string> settings, CatalogueFixture? catalogue = null, TempFolder? store = null)
    {
        var owns = catalogue is null;
        if (catalogue is null)
        {
            catalogue = new CatalogueFixture();
            await catalogue.InitializeAsync();
        }

        store ??= new TempFolder();
        var world = new AlertWorld(catalogue, store, Build(catalogue, store, settings), owns);
        await world.Service<IEvidenceStore>().EnsureReadyAsync(CancellationToken.None);
        return world;
    }

    /// <summary>The ingest app's settings over this world's catalogue and store, plus <paramref name="settings"/>.</summary>
    public static WebApplication Build(CatalogueFixture catalogue, TempFolder store, IReadOnlyDictionary<string, string> settings) => IngestHost.Build(
    [
        $"--ConnectionStrings:Catalogue={TestServices.PostgresConnection}",
        $"--Catalogue:Schema={catalogue.Schema}",
        "--Catalogue:MigrateOnStart=false",
        "--Store:Kind=FileSystem",
        $"--Store:FileSystem:Root={store.Path}",
        "--Jobs:RetryDelay=00:00:00.05",
        "--Serilog:MinimumLevel:Default=Warning",
        .. settings.Select(s => $"--{s.Key}={s.Value}"),
    ]);

    /// <summary>One webhook named <paramref name="name"/> at <paramref name="receiver"/>, and the attempt settings.</summary>
    public static Dictionary<string, string> Webhook(WebhookReceiver receiver, string name = "soc", int maxAttempts = 5, string timeout = "00:00:02") => new()
    {
        ["Alerts:Webhooks:0:Name"] = name,
        ["Alerts:Webhooks:0:Url"] = receiver.Url,
        ["Alerts:Webhooks:0:Secret"] = Secret,
        ["Alerts:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts:Timeout"] = timeout,
    };

    /// <summary>Runs alert jobs as the job loop would, waiting out their backoff, until none is queued or running.</summary>
    public async Task DrainAlertsAsync(CancellationToken cancellationToken)
    {
        var worker = Service<JobWorker>();
        var byKind = new Dictionary<string, IJobHandler> { [JobKinds.Alert] = Service<AlertJobHandler>() };
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (await LiveAlertJobsAsync(cancellationToken) > 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "alert jobs were still queued after a minute");
            if (!await worker.RunOnceAsync(byKind, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    public async Task<long> LiveAlertJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Catalogue.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM jobs WHERE kind = 'alert' AND state IN ('queued', 'running')", cancellationToken: cancellationToken));
    }

    /// <summary>The audit events about alerts (chained or still in the outbox), oldest first: (action, details).</summary>
    public async Task<IReadOnlyList<(string Action, string Details)>> AlertEventsAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT action, details::text AS details, occurred_at FROM audit_events WHERE subject_type = 'alert'
            UNION ALL
            SELECT action, details::text, occurred_at FROM audit_outbox WHERE subject_type = 'alert'
            ORDER BY occurred_at
            """;
        await using var connection = await Catalogue.DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Action, string Details, DateTime OccurredAt)>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.Action, r.Details))];
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_ownsCatalogueAndStore)
        {
            await Catalogue.DisposeAsync();
            _store.Dispose();
        }
    }
}
