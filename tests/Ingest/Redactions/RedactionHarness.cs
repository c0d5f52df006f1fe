using Dapper;
using Enforcement.Media.Ingest.Media.Redactions;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Publications;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// The redaction and publication jobs over a <see cref="MediaHarness"/>: queues redactions as the player
/// does (through the redaction store), requests publications, and runs exactly one such job through the
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
        Redactions = new RedactionStore(catalogue.DataSource, new AuditTrail(catalogue.DataSource, TimeProvider.System), TimeProvider.System);
        Publications = new PublicationStore(catalogue.DataSource);
        var renderer = new ReleaseRenderer(media.Contexts, media.Maker);
        RedactionHandler = new RedactionJobHandler(
            Redactions, new RecordingStandings(catalogue.DataSource), media.Probes, renderer, media.Options, NullLogger<RedactionJobHandler>.Instance);
        PublicationHandler = new PublicationJobHandler(Publications, Redactions, renderer, media.Options, NullLogger<PublicationJobHandler>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public MediaHarness Media { get; }

    public RedactionStore Redactions { get; }

    public PublicationStore Publications { get; }

    public RedactionJobHandler RedactionHandler { get; }

    public PublicationJobHandler PublicationHandler { get; }

    /// <summary>Queues a redaction of the recording (its render job too) and runs that job; returns the redaction as it then is.</summary>
    public async Task<RedactionRecord> RenderAsync(Guid recordingId, RedactionSpec spec, string expectedJobState = "succeeded")
    {
        var redaction = await Redactions.CreateAsync(recordingId, await UserAsync(), "user:reviewer", "privacy of bystanders", spec, draft: false, Token);
        var (state, lastError) = await RunAsync(RedactionHandler, "redactionId", redaction.Id);
        Assert.True(state == expectedJobState, $"the redaction job is {state}: {lastError}");
        return (await Redactions.FindAsync(redaction.Id, Token))!;
    }

    /// <summary>Requests a publication of a redaction (as the player would) and runs its render job; returns the row as it then is.</summary>
    public async Task<PublicationRecord> PublishAsync(RedactionRecord redaction, string watermark)
    {
        var id = Guid.CreateVersion7();
        await using (var connection = await _catalogue.DataSource.OpenConnectionAsync(Token))
        await using (var transaction = await connection.BeginTransactionAsync(Token))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO publications (id, redaction_id, recording_id, title, body, watermark, requested_by, requested_by_actor, requested_at, render_state, state)
                VALUES (@id, @RedactionId, @RecordingId, 'Title', 'Body', @watermark, @user, 'user:reviewer', now(), 'queued', 'requested')
                """,
                new { id, RedactionId = redaction.Id, redaction.RecordingId, watermark, user = await UserAsync() },
                transaction);
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Publication, null, new { publicationId = id }, 50, 3), Token);
            await transaction.CommitAsync(Token);
        }

        var (state, lastError) = await RunAsync(PublicationHandler, "publicationId", id);
        Assert.True(state == "succeeded", $"the publication job is {state}: {lastError}");
        return (await Publications.FindAsync(id, Token))!;
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
