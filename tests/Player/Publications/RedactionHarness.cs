using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;

namespace Enforcement.Media.Tests.Player.Publications;

/// <summary>
/// Redactions and publications in a <see cref="PlayerApp"/>: recordings with a probe row, and the worker's
/// part (the rendered output, the watermarked copy) done here as the worker does it — real sealed objects of
/// kind <c>redacted</c> with provenance rows — so the player's rules are tested without waiting for ffmpeg.
/// The real render is tested in the ingest tests and end to end in the browser test.
/// </summary>
public sealed class RedactionHarness(PlayerApp app)
{
    public PlaybackHarness Playback { get; } = new(app);

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A recording of the unit, probed as <paramref name="kind"/> of <paramref name="duration"/> seconds, with a rendition.</summary>
    public async Task<PlaybackHarness.Footage> ProbedAsync(string unit, string kind = "video", double? duration = 20, string? unplayable = null)
    {
        var footage = await Playback.FootageAsync(unit);
        await using var connection = await Playback.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO media_probes (recording_id, outcome, unplayable_reason, media_kind, duration_seconds, stream_count, width, height, tool_version, probed_at)
            VALUES (@id, @outcome, @unplayable, @kind, @duration, 2, 1280, 720, 'test', now());
            UPDATE recordings SET media_state = @outcome WHERE id = @id;
            """,
            new { id = footage.RecordingId, outcome = unplayable is null ? "probed" : "unplayable", unplayable, kind, duration },
            cancellationToken: Token));
        return footage;
    }

    public static object Region(double t0 = 1, double t1 = 5) => new
    {
        shape = "rect",
        keyframes = new[] { new { t = t0, x = 0.1, y = 0.1, w = 0.2, h = 0.2 }, new { t = t1, x = 0.6, y = 0.5, w = 0.2, h = 0.25 } },
    };

    public static object Body(object[]? regions = null, bool draft = false, string reason = "公示前处理 personal data before publication") =>
        new { reason, regions = regions ?? [Region()], audio = new[] { new { from = 2.0, to = 3.0, mode = "bleep" } }, draft };

    public static async Task<Guid> CreateAsync(PlaybackHarness.Client who, Guid recordingId, object? body = null)
    {
        var response = await who.PostAsync($"/api/v1/recordings/{recordingId}/redactions", body ?? Body());
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("redactionId").GetGuid();
    }

    public static async Task<JsonElement> GetAsync(PlaybackHarness.Client who, string path)
    {
        var response = await who.Http.GetAsync(path, Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    /// <summary>
    /// What the worker does when a render succeeds: the output stored write-once as kind redacted, its provenance, the state.
    /// Random bytes unless <paramref name="content"/> is given (a browser plays only real media).
    /// </summary>
    public async Task<byte[]> RenderedAsync(Guid redactionId, int size = 96 * 1024, string contentType = "video/mp4", byte[]? content = null)
    {
        var record = (await app.Service<RedactionStore>().FindAsync(redactionId, Token))!;
        content ??= Bytes.Random(size, Random.Shared.Next());
        var objectId = await StoreAsync(record.RecordingId, content, contentType, DerivationRole.Redacted, redactionId, null);
        Assert.NotEqual(Guid.Empty, objectId);
        await app.Service<RedactionStore>().MarkFinishedAsync(redactionId, null, Token);
        return content;
    }

    /// <summary>What the worker does with a publication's copy: stored as kind redacted from the redacted output, then ready (or failed).</summary>
    public async Task<byte[]?> PublicationRenderedAsync(Guid publicationId, string? failure = null, int size = 64 * 1024, string contentType = "video/mp4", byte[]? content = null)
    {
        await using var connection = await Playback.Catalogue.OpenConnectionAsync(Token);
        var (redactionId, recordingId) = await connection.QuerySingleAsync<(Guid, Guid)>(new CommandDefinition(
            "SELECT redaction_id, recording_id FROM publications WHERE id = @publicationId", new { publicationId }, cancellationToken: Token));
        if (failure is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE publications SET render_state = 'failed', render_failure = @failure WHERE id = @publicationId", new { publicationId, failure }, cancellationToken: Token));
            return null;
        }

        content ??= Bytes.Random(size, Random.Shared.Next());
        var objectId = await StoreAsync(recordingId, content, contentType, DerivationRole.Publication, redactionId, null);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE publications SET render_state = 'ready', object_id = @objectId WHERE id = @publicationId", new { publicationId, objectId }, cancellationToken: Token));
        return content;
    }

    private async Task<Guid> StoreAsync(Guid recordingId, byte[] content, string contentType, DerivationRole role, Guid redactionId, Guid? inputObjectId)
    {
        var store = app.Service<IEvidenceStore>();
        var pending = await store.WriteAsync(ObjectWrite.New(ObjectKind.Redacted, contentType), new MemoryStream(content), null, Token);
        var sealedObject = await store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(2)), Token);
        var now = TimeProvider.System.GetUtcNow();
        await using var connection = await Playback.Catalogue.OpenConnectionAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        var objectId = await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, ObjectKind.Redacted, contentType, recordingId, now, Token);
        var input = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT o.sha256 FROM recordings r JOIN stored_objects o ON o.id = r.original_object_id WHERE r.id = @recordingId", new { recordingId }, transaction, cancellationToken: Token));
        await DerivationStore.InsertAsync(
            connection,
            transaction,
            new Derivation(Guid.CreateVersion7(now), recordingId, role, true, objectId, "test", Sha256Digest.Parse(input), sealedObject.Sha256, "ffmpeg", "test", ["-i", $"original:sha256:{input}"], now, now, null, 320, 180, 10, null, redactionId, inputObjectId),
            Token);
        await transaction.CommitAsync(Token);
        return objectId;
    }
}
