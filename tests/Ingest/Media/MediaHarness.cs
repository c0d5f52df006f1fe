using Dapper;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Thumbnails;
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
        var ffprobe = new Ffprobe(Runner, Options);
        ProbeHandler = new ProbeJobHandler(Sources, ffprobe, new ProbeRecorder(catalogue.DataSource, Audit, Options, TimeProvider.System), NullLogger<ProbeJobHandler>.Instance);
        Derivations = new DerivationStore(catalogue.DataSource);
        var writer = new DerivativeWriter(catalogue.DataSource, store, Archive.PendingWrites, Audit, TimeProvider.System, NullLogger<DerivativeWriter>.Instance);
        Maker = new DerivativeMaker(Runner, ffprobe, writer, TimeProvider.System);
        Contexts = new MediaJobContexts(Sources, Probes, Options);
        RenditionHandler = new RenditionJobHandler(Contexts, Derivations, Maker, Options, NullLogger<RenditionJobHandler>.Instance);
        ThumbnailsHandler = new ThumbnailsJobHandler(Contexts, Derivations, Maker, writer, Options, TimeProvider.System);
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

    public DerivationStore Derivations { get; }

    public RenditionJobHandler RenditionHandler { get; }

    public ThumbnailsJobHandler ThumbnailsHandler { get; }

    public DerivativeMaker Maker { get; }

    public MediaJobContexts Contexts { get; }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Stores a file as a new original, exactly as ingest does (which also queues its probe job).</summary>
    public async Task<ArchivedRecording> IngestAsync(string path, string? name = null)
    {
        await using var file = File.OpenRead(path);
        return await Archive.Archive.ArchiveAsync(file, ArchiveHarness.Delivery(name ?? Path.GetFileName(path)), null, Token);
    }

    /// <summary>
    /// Runs this recording's ready job of the handler's kind through the real worker (claim, lease,
    /// complete or retry) and returns the job's state and error. Other ready jobs of that kind are held
    /// back meanwhile, so the worker claims exactly this one whatever its priority.
    /// </summary>
    public async Task<(string State, string? LastError)> RunJobAsync(IJobHandler handler, Guid recordingId)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        var held = (await connection.QueryAsync<long>(
            """
            UPDATE jobs SET run_after = now() + interval '1 day'
            WHERE kind = @Kind AND state = 'queued' AND run_after <= now() AND recording_id IS DISTINCT FROM @recordingId
            RETURNING id
            """,
            new { handler.Kind, recordingId })).ToArray();
        try
        {
            var worker = new JobWorker([handler], Queue, Microsoft.Extensions.Options.Options.Create(new JobOptions { RetryDelay = TimeSpan.FromMinutes(10) }), NullLogger<JobWorker>.Instance);
            Assert.True(await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [handler.Kind] = handler }, Token), $"no {handler.Kind} job was ready for {recordingId}");
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE jobs SET run_after = now() WHERE id = ANY(@held)", new { held });
        }

        return await connection.QuerySingleAsync<(string, string?)>(
            "SELECT state, last_error FROM jobs WHERE kind = @Kind AND recording_id = @recordingId ORDER BY id DESC LIMIT 1",
            new { handler.Kind, recordingId });
    }

    /// <summary>Ingests a file and runs its probe job, which must succeed; returns the recording.</summary>
    public async Task<ArchivedRecording> IngestAndProbeAsync(string path, string? name = null)
    {
        var recording = await IngestAsync(path, name);
        Assert.Equal(("succeeded", null), await RunJobAsync(ProbeHandler, recording.RecordingId));
        return recording;
    }

    /// <summary>Makes a retried job ready now instead of after its backoff.</summary>
    public async Task MakeReadyAsync(string kind, Guid recordingId)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        await connection.ExecuteAsync("UPDATE jobs SET run_after = now() WHERE kind = @kind AND recording_id = @recordingId AND state = 'queued'", new { kind, recordingId });
    }

    /// <summary>Copies a stored object to a local file, for ffprobe to examine.</summary>
    public async Task<string> DownloadAsync(ObjectRef location, string path)
    {
        await using (var source = await Store.OpenReadAsync(location, null, Token))
        await using (var file = File.Create(path))
        {
            await source.CopyToAsync(file, Token);
        }

        return path;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(sql, parameters);
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
