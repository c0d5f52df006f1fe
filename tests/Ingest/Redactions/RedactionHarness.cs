using Dapper;
using Enforcement.Media.Ingest.Jobs;
using Enforcement.Media.Ingest.Media.Redactions;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// The redaction job over a <see cref="MediaHarness"/>: queues redactions as the player
/// does (through the redaction store), and runs exactly one such job through the
/// real worker. These jobs have no recording id, so a job is found by the id in its payload.
/// </summary>
public sealed class RedactionHarness
{
    private readonly CatalogueFixture _catalogue;
    private Guid? _user;

    public RedactionHarness(CatalogueFixture catalogue, MediaHarness media)
    {
        _catalogue = catalogue;
        Media = media;
        Redactions = new RedactionStore(catalogue.DataSource, TimeProvider.System);
        RedactionHandler = new RedactionJobHandler(
            Redactions, new RecordingStandings(catalogue.DataSource), media.Probes, media.Contexts, media.Maker, media.Options, NullLogger<RedactionJobHandler>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public MediaHarness Media { get; }

    public RedactionStore Redactions { get; }

    public RedactionJobHandler RedactionHandler { get; }

    /// <summary>Queues a redaction of the recording (its render job too) and runs that job; returns the redaction as it then is.</summary>
    public async Task<RedactionRecord> RenderAsync(Guid recordingId, RedactionSpec spec, string expectedJobState = "succeeded")
    {
        var redaction = await Redactions.CreateAsync(recordingId, await UserAsync(), "user:reviewer", "privacy of bystanders", spec, draft: false, Token);
        var (state, lastError) = await RunAsync(RedactionHandler, "redactionId", redaction.Id);
        Assert.True(state == expectedJobState, $"the redaction job is {state}: {lastError}");
        return (await Redactions.FindAsync(redaction.Id, Token))!;
    }

    /// <summary>Runs the ready job of the handler's kind whose payload names <paramref name="id"/>, holding the others back.</summary>
    public async Task<(string State, string? LastError)> RunAsync(IJobHandler handler, string payloadKey, Guid id)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync(Token);
        var held = (await connection.QueryAsync<long>(
            """
            UPDATE jobs SET run_after = now() + interval '1 day'
            WHERE kind = @Kind AND state = 'queued' AND run_after <= now() AND payload->>@payloadKey IS DISTINCT FROM @id
            RETURNING id
            """,
            new { handler.Kind, payloadKey, id = id.ToString() })).ToArray();
        try
        {
            var worker = new JobWorker([handler], Media.Queue, Options.Create(new JobOptions { RetryDelay = TimeSpan.FromMinutes(10) }), NullLogger<JobWorker>.Instance);
            Assert.True(await worker.RunOnceAsync(new Dictionary<string, IJobHandler> { [handler.Kind] = handler }, Token), $"no {handler.Kind} job was ready for {id}");
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE jobs SET run_after = now() WHERE id = ANY(@held)", new { held });
        }

        return await connection.QuerySingleAsync<(string, string?)>(
            "SELECT state, last_error FROM jobs WHERE kind = @Kind AND payload->>@payloadKey = @id ORDER BY id DESC LIMIT 1",
            new { handler.Kind, payloadKey, id = id.ToString() });
    }

    /// <summary>Makes a retried job of this kind ready now instead of after its backoff.</summary>
    public Task MakeReadyAsync(string kind, string payloadKey, Guid id) =>
        Media.ExecuteAsync("UPDATE jobs SET run_after = now() WHERE kind = @kind AND payload->>@payloadKey = @id AND state = 'queued'", new { kind, payloadKey, id = id.ToString() });

    private async Task<Guid> UserAsync()
    {
        if (_user is { } user)
        {
            return user;
        }

        var id = Guid.NewGuid();
        await Media.ExecuteAsync(
            """
            INSERT INTO users (id, username, display_name, roles, password_hash, security_stamp, created_at, created_by)
            VALUES (@id, @username, 'Reviewer', '{reviewer}', 'x', gen_random_uuid(), now(), 'user:admin')
            """,
            new { id, username = $"reviewer-{id:N}" });
        _user = id;
        return id;
    }
}
