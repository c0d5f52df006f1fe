using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Records;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>
/// Viewers and footage in a <see cref="PlayerApp"/>: recordings archived through the real pipeline, their
/// renditions and thumbnails stored as real sealed objects with provenance rows, and the viewing API driven
/// the way the page drives it (cookie plus antiforgery header, or a bearer token).
/// </summary>
public sealed class PlaybackHarness(PlayerApp app)
{
    public RecordsHarness Records { get; } = new(app);

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public NpgsqlDataSource Catalogue => app.Service<NpgsqlDataSource>();

    /// <summary>A signed-in browser (cookie) with the antiforgery token its pages carry.</summary>
    public async Task<Client> BrowserAsync(string[] roles, string? unit)
    {
        var (client, user) = await app.SignedInAsync(roles, unit);
        return new Client(client, user.Id, user.Username, await PlayerApp.AntiforgeryTokenAsync(client, "/"));
    }

    /// <summary>An API client with a bearer token.</summary>
    public async Task<Client> ApiAsync(string[] roles, string? unit)
    {
        var (client, user) = await Records.BearerAsync(roles, unit);
        return new Client(client, user.Id, user.Username, null);
    }

    /// <summary>A recording of the unit with a rendition (random bytes: the stream serves bytes, it does not decode them).</summary>
    public async Task<Footage> FootageAsync(string? unit, int renditionSize = 200 * 1024, bool thumbnails = false, IEvidenceStore? store = null)
    {
        var (recording, original) = await Records.RecordingAsync(unit);
        var rendition = Bytes.Random(renditionSize, Random.Shared.Next());
        await DerivativeAsync(recording, DerivationRole.Playback, rendition, "video/mp4", ObjectKind.Rendition, store);
        if (thumbnails)
        {
            await DerivativeAsync(recording, DerivationRole.SpriteSheet, Bytes.Random(5000, 7), "image/jpeg", ObjectKind.Sprite, store);
            await DerivativeAsync(recording, DerivationRole.Poster, Bytes.Random(3000, 8), "image/jpeg", ObjectKind.Thumbnail, store);
            var track = "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nsprite.jpg#xywh=0,0,160,90\n\n00:00:05.000 --> 00:00:10.000\nsprite.jpg#xywh=160,0,160,90\n"u8.ToArray();
            await DerivativeAsync(recording, DerivationRole.SpriteTrack, track, "text/vtt", ObjectKind.Sprite, store);
        }

        return new Footage(recording.RecordingId, original, rendition);
    }

    /// <summary>Stores <paramref name="content"/> as a sealed object and records it as the current derivative of <paramref name="role"/>.</summary>
    public Task DerivativeAsync(ArchivedRecording recording, DerivationRole role, byte[] content, string contentType, ObjectKind kind, IEvidenceStore? store = null) =>
        StoreDerivativeAsync(store ?? app.Service<IEvidenceStore>(), Catalogue, recording, role, content, contentType, kind);

    /// <summary>As <see cref="DerivativeAsync"/>, for any store and catalogue (the S3 test hosts its own player).</summary>
    public static async Task StoreDerivativeAsync(IEvidenceStore store, NpgsqlDataSource catalogue, ArchivedRecording recording, DerivationRole role, byte[] content, string contentType, ObjectKind kind)
    {
        var pending = await store.WriteAsync(ObjectWrite.New(kind, contentType), new MemoryStream(content), null, Token);
        var sealedObject = await store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(2)), Token);
        var now = TimeProvider.System.GetUtcNow();
        await using var connection = await catalogue.OpenConnectionAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        var objectId = await DerivationStore.FindObjectAsync(connection, transaction, store.Name, sealedObject.Location, Token)
            ?? await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, kind, contentType, recording.RecordingId, now, Token);
        await DerivationStore.InsertAsync(
            connection,
            transaction,
            new Derivation(Guid.CreateVersion7(now), recording.RecordingId, role, true, objectId, "test", recording.Sha256, sealedObject.Sha256, "test", "1", ["test"], now, now, null, 320, 180, 10, null),
            Token);
        await transaction.CommitAsync(Token);
    }

    /// <summary>Opens a case of the unit and links the recording to it (as a manual link).</summary>
    public async Task LinkToNewCaseAsync(string caseNumber, string unit, Guid recordingId)
    {
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases (id, case_number, unit_code, opened_at, created_at, updated_at) VALUES (gen_random_uuid(), @caseNumber, @unit, now(), now(), now());
            INSERT INTO recording_links (id, recording_id, case_id, method, linked_by, linked_at)
            SELECT gen_random_uuid(), @recordingId, id, 'manual', 'user:test', now() FROM cases WHERE case_number = @caseNumber;
            """,
            new { recordingId, caseNumber, unit },
            cancellationToken: Token));
    }

    public async Task ClassifyAsync(Guid recordingId, string classification)
    {
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE recordings SET classification = @classification WHERE id = @recordingId", new { recordingId, classification }, cancellationToken: Token));
    }

    /// <summary>Starts a viewing; asserts it was created and returns the answer.</summary>
    public static async Task<JsonElement> StartAsync(Client viewer, Guid recordingId, string reason = "复核案件 reviewing the case", string variant = "rendition", Guid? approvalId = null)
    {
        var response = await StartResponseAsync(viewer, recordingId, new { reason, variant, approvalId = approvalId?.ToString() });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    public static Task<HttpResponseMessage> StartResponseAsync(Client viewer, Guid recordingId, object body) =>
        viewer.PostAsync($"/api/v1/recordings/{recordingId}/sessions", body);

    public static async Task<Guid> SessionAsync(Client viewer, Guid recordingId) => (await StartAsync(viewer, recordingId)).GetProperty("sessionId").GetGuid();

    public static async Task<HttpResponseMessage> GetAsync(Client viewer, string path, string? range = null, string? ifRange = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        if (ifRange is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        }

        return await viewer.Http.SendAsync(request, Token);
    }

    /// <summary>Every playback.range event about this session, as (part, first, last), in order.</summary>
    public async Task<List<(string Part, long First, long Last)>> RangesAsync(Guid sessionId)
    {
        const string sql = """
            SELECT details FROM (
                SELECT seq::bigint AS n, details FROM audit_events WHERE action = 'playback.range'
                UNION ALL SELECT id::bigint + 1000000000000, details FROM audit_outbox WHERE action = 'playback.range') e
            WHERE (details::jsonb ->> 'session') = @session
            ORDER BY n
            """;
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(sql, new { session = sessionId.ToString() }, cancellationToken: Token));
        return [.. rows.Select(r => JsonDocument.Parse(r).RootElement).Select(d => (d.GetProperty("part").GetString()!, d.GetProperty("first").GetInt64(), d.GetProperty("last").GetInt64()))];
    }

    public async Task ExpireAsync(Guid sessionId)
    {
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE playback_sessions SET expires_at = now() - interval '1 second' WHERE id = @sessionId", new { sessionId }, cancellationToken: Token));
    }

    public sealed record Footage(Guid RecordingId, byte[] Original, byte[] Rendition);

    /// <summary>An HTTP client acting for one user; <paramref name="Antiforgery"/> is set for cookie clients and sent on every POST/PUT.</summary>
    public sealed record Client(HttpClient Http, Guid UserId, string Username, string? Antiforgery)
    {
        public Task<HttpResponseMessage> PostAsync(string path, object? body) => SendAsync(HttpMethod.Post, path, body);

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, bool withAntiforgery = true)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (withAntiforgery && Antiforgery is not null)
            {
                request.Headers.Add("RequestVerificationToken", Antiforgery);
            }

            return await Http.SendAsync(request, Token);
        }
    }
}
