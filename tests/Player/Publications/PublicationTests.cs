using System.Net;
using System.Text.Json;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Playback;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Publications;

/// <summary>
/// 公示: only a rendered redaction is asked for; only another supervisor approves, only once the watermarked
/// copy is made; the public address serves that copy and nothing else, by range, without sign-in, until it is
/// withdrawn or expires (410); every public request is in the publication access log, not the ledger.
/// </summary>
public sealed class PublicationTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RedactionHarness _redactions = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed record Setup(string Unit, PlaybackHarness.Footage Footage, PlaybackHarness.Client Reviewer, PlaybackHarness.Client Publisher, PlaybackHarness.Client Supervisor, Guid RedactionId);

    private async Task<Setup> ReadyAsync()
    {
        var unit = await _redactions.Playback.Records.UnitAsync();
        var footage = await _redactions.ProbedAsync(unit);
        await _redactions.Playback.LinkToNewCaseAsync($"公示-{Guid.NewGuid():N}"[..20], unit, footage.RecordingId);
        var reviewer = await _redactions.Playback.ApiAsync([Roles.Reviewer], unit);
        var id = await RedactionHarness.CreateAsync(reviewer, footage.RecordingId);
        await _redactions.RenderedAsync(id);
        return new Setup(unit, footage, reviewer, await _redactions.Playback.ApiAsync([Roles.Publisher], unit), await _redactions.Playback.ApiAsync([Roles.Supervisor], unit), id);
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    private static async Task<Guid> RequestAsync(PlaybackHarness.Client who, Guid redactionId)
    {
        var created = await ExpectAsync(await who.PostAsync($"/api/v1/redactions/{redactionId}/publications", new { title = "执法过程公示 enforcement on Main St", body = "第一段\n第二段 second paragraph <b>not bold</b>" }), HttpStatusCode.Created);
        return created.GetProperty("publicationId").GetGuid();
    }

    private static Task<HttpResponseMessage> DecideAsync(PlaybackHarness.Client who, Guid publicationId, bool approve, int? days = null) =>
        who.PostAsync($"/api/v1/publications/{publicationId}/decision", new { approve, reason = "已审核 reviewed", days });

    /// <summary>Someone on the internet: no sign-in, an address of their own.</summary>
    private HttpClient Anonymous(string? address = null) => address is null ? app.NewClient() : app.NewClient(address);

    [Fact]
    public async Task An_approved_item_is_public_with_its_watermarked_copy_by_range_and_every_step_is_audited()
    {
        var s = await ReadyAsync();
        var publicationId = await RequestAsync(s.Publisher, s.RedactionId);
        var asked = await RedactionHarness.GetAsync(s.Publisher, $"/api/v1/publications/{publicationId}");
        Assert.Equal("requested", asked.GetProperty("state").GetString());
        Assert.Contains("公示", asked.GetProperty("watermark").GetString());
        Assert.Contains("公示-", asked.GetProperty("watermark").GetString()); // the case number

        var copy = (await _redactions.PublicationRenderedAsync(publicationId))!;
        var approved = await ExpectAsync(await DecideAsync(s.Supervisor, publicationId, true, days: 7), HttpStatusCode.OK);
        Assert.Equal("published", approved.GetProperty("state").GetString());
        var path = approved.GetProperty("publicPath").GetString()!;
        Assert.Matches("^/public/[A-Za-z0-9_-]{43}$", path);

        using var anonymous = Anonymous();
        var page = await anonymous.GetAsync(path, Token);
        var html = await page.Content.ReadAsStringAsync(Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("form-action 'none'", policy, StringComparison.Ordinal); // the public page's own: no script, no forms
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.Contains("执法过程公示", html);
        Assert.Contains("&lt;b&gt;not bold&lt;/b&gt;", html);
        Assert.Contains(approved.GetProperty("watermark").GetString()!, html);
        Assert.Contains($"{path}/media", html);

        var range = new HttpRequestMessage(HttpMethod.Get, $"{path}/media");
        range.Headers.TryAddWithoutValidation("Range", "bytes=100-1099");
        var media = await anonymous.SendAsync(range, Token);
        Assert.Equal(HttpStatusCode.PartialContent, media.StatusCode);
        Assert.Equal(copy[100..1100], await media.Content.ReadAsByteArrayAsync(Token));
        var whole = await anonymous.GetByteArrayAsync($"{path}/media", Token);
        Assert.Equal(copy, whole);

        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        var log = (await connection.QueryAsync<(string What, long? From, long? To, int Status)>(new CommandDefinition(
            "SELECT what, range_from, range_to, status FROM publication_views WHERE publication_id = @publicationId ORDER BY at, what DESC",
            new { publicationId },
            cancellationToken: Token))).ToList();
        Assert.Equal([("page", null, null, 200), ("media", 100L, 1099L, 206), ("media", 0L, copy.Length - 1L, 200)], log);
        Assert.Equal(1, (await RedactionHarness.GetAsync(s.Publisher, $"/api/v1/publications/{publicationId}")).GetProperty("viewCount").GetInt64());
        var ledger = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM playback_sessions WHERE recording_id = @id", new { id = s.Footage.RecordingId }, cancellationToken: Token));
        Assert.Equal(0, ledger);

        var withdrawn = await ExpectAsync(await s.Publisher.PostAsync($"/api/v1/publications/{publicationId}/withdrawal", new { reason = "当事人申请 withdrawn on request" }), HttpStatusCode.OK);
        Assert.Equal("withdrawn", withdrawn.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync(path, Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync($"{path}/media", Token)).StatusCode);

        var actions = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT action FROM (SELECT action, details, seq::bigint AS n FROM audit_events UNION ALL SELECT action, details, id::bigint + 1000000000000 FROM audit_outbox) e
            WHERE details::jsonb ->> 'publication' = @id ORDER BY n
            """,
            new { id = publicationId.ToString() },
            cancellationToken: Token))).ToArray();
        Assert.Equal(["publication.requested", "publication.approved", "publication.withdrawn"], actions);
    }

    [Fact]
    public async Task Nothing_unrendered_is_published_and_nobody_approves_their_own_request()
    {
        var s = await ReadyAsync();
        var queued = await RedactionHarness.CreateAsync(s.Reviewer, s.Footage.RecordingId);
        var early = await ExpectAsync(await s.Publisher.PostAsync($"/api/v1/redactions/{queued}/publications", new { title = "t", body = "b" }), HttpStatusCode.Conflict);
        Assert.Contains("not rendered yet", early.GetProperty("title").GetString());
        await ExpectAsync(await s.Publisher.PostAsync($"/api/v1/redactions/{s.RedactionId}/publications", new { title = "  ", body = "b" }), HttpStatusCode.BadRequest);

        var supervisorsOwn = await RequestAsync(s.Supervisor, s.RedactionId);
        await _redactions.PublicationRenderedAsync(supervisorsOwn);
        await ExpectAsync(await DecideAsync(s.Supervisor, supervisorsOwn, true), HttpStatusCode.Forbidden);

        var publicationId = await RequestAsync(s.Publisher, s.RedactionId);
        var beforeCopy = await ExpectAsync(await DecideAsync(s.Supervisor, publicationId, true), HttpStatusCode.Conflict);
        Assert.Contains("still being made", beforeCopy.GetProperty("title").GetString());
        await ExpectAsync(await DecideAsync(s.Publisher, publicationId, true), HttpStatusCode.Forbidden); // not a supervisor
        await ExpectAsync(await DecideAsync(s.Supervisor, publicationId, true, days: 10_000), HttpStatusCode.BadRequest);

        var otherUnit = await _redactions.Playback.ApiAsync([Roles.Supervisor], await _redactions.Playback.Records.UnitAsync());
        await ExpectAsync(await DecideAsync(otherUnit, publicationId, true), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_failed_copy_shows_its_reason_and_publishes_nothing_and_a_refusal_is_final()
    {
        var s = await ReadyAsync();
        var failed = await RequestAsync(s.Publisher, s.RedactionId);
        await _redactions.PublicationRenderedAsync(failed, failure: "drawtext: font not found");
        var answer = await ExpectAsync(await DecideAsync(s.Supervisor, failed, true), HttpStatusCode.Conflict);
        Assert.Contains("font not found", answer.GetProperty("title").GetString());
        var refused = await ExpectAsync(await DecideAsync(s.Supervisor, failed, false), HttpStatusCode.OK);
        Assert.Equal("refused", refused.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("publicPath").ValueKind);
        await ExpectAsync(await DecideAsync(s.Supervisor, failed, true), HttpStatusCode.Conflict);
        await ExpectAsync(await s.Publisher.PostAsync($"/api/v1/publications/{failed}/withdrawal", new { reason = "x" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_expired_address_answers_gone()
    {
        var s = await ReadyAsync();
        var publicationId = await RequestAsync(s.Publisher, s.RedactionId);
        await _redactions.PublicationRenderedAsync(publicationId);
        var path = (await ExpectAsync(await DecideAsync(s.Supervisor, publicationId, true, days: 1), HttpStatusCode.OK)).GetProperty("publicPath").GetString()!;
        using var anonymous = Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path, Token)).StatusCode);
        await using (var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE publications SET expires_at = now() - interval '1 second' WHERE id = @publicationId", new { publicationId }, cancellationToken: Token));
        }

        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync(path, Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync($"{path}/media", Token)).StatusCode);
    }

    [Fact]
    public async Task Every_id_the_system_has_gets_nothing_at_the_public_paths()
    {
        var s = await ReadyAsync();
        var publicationId = await RequestAsync(s.Publisher, s.RedactionId);
        await _redactions.PublicationRenderedAsync(publicationId);
        var token = (await ExpectAsync(await DecideAsync(s.Supervisor, publicationId, true), HttpStatusCode.OK)).GetProperty("publicPath").GetString()![8..];
        var session = await PlaybackHarness.SessionAsync(s.Reviewer, s.Footage.RecordingId);

        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT id::text FROM recordings UNION ALL SELECT id::text FROM stored_objects UNION ALL SELECT object_key FROM stored_objects
            UNION ALL SELECT sha256 FROM stored_objects UNION ALL SELECT id::text FROM derivations UNION ALL SELECT id::text FROM playback_sessions
            UNION ALL SELECT id::text FROM redactions UNION ALL SELECT id::text FROM publications
            """,
            cancellationToken: Token))).ToList();
        Assert.Contains(session.ToString(), ids);
        ids.AddRange([token.ToUpperInvariant(), token[..42], token + "A", "..%2F..%2Fapi%2Fv1%2Frecordings", Uri.EscapeDataString("' OR '1'='1")]);

        using var anonymous = Anonymous();
        foreach (var id in ids.Distinct())
        {
            foreach (var suffix in new[] { string.Empty, "/media" })
            {
                var response = await anonymous.GetAsync($"/public/{Uri.EscapeDataString(id)}{suffix}", Token);
                Assert.True(response.StatusCode is HttpStatusCode.NotFound, $"/public/{id}{suffix}: {(int)response.StatusCode}");
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/public/{token}", Token)).StatusCode);
    }

    [Fact]
    public async Task The_public_address_is_rate_limited_per_address()
    {
        var s = await ReadyAsync();
        var publicationId = await RequestAsync(s.Publisher, s.RedactionId);
        await _redactions.PublicationRenderedAsync(publicationId);
        var path = (await ExpectAsync(await DecideAsync(s.Supervisor, publicationId, true), HttpStatusCode.OK)).GetProperty("publicPath").GetString()!;
        using var anonymous = Anonymous("10.77.0.1");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 260; i++)
        {
            statuses.Add((await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{path}/media"), Token)).StatusCode);
        }

        Assert.Equal(240, statuses.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(20, statuses.Count(c => c == HttpStatusCode.TooManyRequests));
        using var other = Anonymous("10.77.0.2");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(path, Token)).StatusCode);
    }
}
