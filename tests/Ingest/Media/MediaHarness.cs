using Dapper;
using Enforcement.Media.Ingest.Jobs;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>The real media pipeline wired by hand over a test catalogue and a given store: archive, loopback server, ffprobe, jobs.</summary>
public sealed class MediaHarness : IAsyncDisposable
{
    private readonly CatalogueFixture _catalogue;

    public MediaHarness(CatalogueFixture catalogue, IEvidenceStore store, MediaOptions? options = null)
    {
        _catalogue = catalogue;
        Store = store;
        Options = Microsoft.Extensions.Options.Options.Create(options ?? new MediaOptions());
        Archive = new ArchiveHarness(catalogue, store);
        Runner = new FfmpegToolRunner(Options, NullLogger<FfmpegToolRunner>.Instance);
        Server = new LoopbackObjectServer(store, TimeProvider.System, NullLogger<LoopbackObjectServer>.Instance);
        Probes = new MediaProbeStore(catalogue.DataSource);
        Sources = new OriginalSources(Probes, store, Server);
        Audit = new AuditTrail(catalogue.DataSource, TimeProvider.System);
        Queue = new JobQueue(catalogue.DataSource, NullLogger<JobQueue>.Instance);
        ProbeHandler = new ProbeJobHandler(Sources, new Ffprobe(Runner, Options), new ProbeRecorder(catalogue.DataSource, Audit, TimeProvider.System), NullLogger<ProbeJobHandler>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public IEvidenceStore Store { get; }

    public IOptions<MediaOptions> Options { get; }

    public ArchiveHarness Archive { get; }

    public FfmpegToolRunner Runner { get; }

    public LoopbackObjectServer Server { get; }

    public MediaProbeStore Probes { get; }

    public OriginalSources Sources { get; }

    public AuditTrail Audit { get; }

    public JobQueue Queue { get; }

    public ProbeJobHandler ProbeHandler { get; }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Stores a file as a new original, exactly as ingest does (which also queues its probe job).</summary>
    public async Task<ArchivedRecording> IngestAsync(string path, string? name = null)
    {
        await using var file = File.OpenRead(path);
        return await Archive.Archive.ArchiveAsync(file, ArchiveHarness.Delivery(name ?? Path.GetFileName(path)), null, Token);
    }

    /// <summary>
    /// Runs one ready job of the handler's kind through the real worker (claim, lease, complete or retry)
    /// and returns the state and error of that recording's job. Tests in a class run one at a time and
    /// failed jobs back off for minutes, so the job claimed is the one the test queued.
    /// </summary>
    public async Task<(string State, string? LastError)> RunJobAsync(IJobHandler handler, Guid recordingId)
    {
        var worker = new JobWorker([handler], Queue, Microsoft.Extensions.Options.Options.Create(new JobOptions { RetryDelay = TimeSpan.FromMinutes(10) }), NullLogger<JobWorker>.Instance);
        Assert.True(await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [handler.Kind] = handler }, Token), $"no {handler.Kind} job was ready");
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.QuerySingleAsync<(string, string?)>(
            "SELECT state, last_error FROM jobs WHERE kind = @Kind AND recording_id = @recordingId ORDER BY id DESC LIMIT 1",
            new { handler.Kind, recordingId });
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    public Task<string> MediaStateAsync(Guid recordingId) =>
        ScalarAsync<string>("SELECT media_state FROM recordings WHERE id = @recordingId", new { recordingId });

    /// <summary>Audit actions recorded about a recording, in order (outbox and sealed chain alike).</summary>
    public Task<IReadOnlyList<string>> AuditActionsAsync(Guid recordingId) =>
        QueryAsync<string>(
            """
            SELECT action FROM (
                SELECT action, occurred_at, 0 AS seq FROM audit_events WHERE subject_id = @Id
                UNION ALL SELECT action, occurred_at, id FROM audit_outbox WHERE subject_id = @Id) a
            ORDER BY occurred_at, seq
            """,
            new { Id = recordingId.ToString() });

    /// <summary>The SHA-256 of the object as the store returns it now.</summary>
    public async Task<string> StoredSha256Async(ObjectRef location)
    {
        await using var stream = await Store.OpenReadAsync(location, null, Token);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, Token));
    }
}
