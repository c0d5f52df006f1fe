using System.Net;
using System.Security.Cryptography;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>
/// The session stream against the real bytes of a stored rendition (filesystem store): RFC 9110 range
/// semantics, every served range on record before it leaves, refusals that serve and log nothing.
/// </summary>
public sealed class StreamTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(PlaybackHarness.Client Viewer, PlaybackHarness.Footage Footage, Guid Session)> ViewingAsync(int size = 200 * 1024)
    {
        var unit = await _playback.Records.UnitAsync();
        var footage = await _playback.FootageAsync(unit, size);
        var viewer = await _playback.ApiAsync([Roles.Reviewer], unit);
        return (viewer, footage, await PlaybackHarness.SessionAsync(viewer, footage.RecordingId));
    }

    private static string Media(Guid session) => $"/api/v1/sessions/{session}/media";

    private static string ETagOf(byte[] content) => $"\"{Convert.ToHexStringLower(SHA256.HashData(content))}\"";

    [Fact]
    public async Task A_request_without_range_gets_the_whole_rendition_and_it_is_logged_as_one_range()
    {
        var (viewer, footage, session) = await ViewingAsync();

        var response = await PlaybackHarness.GetAsync(viewer, Media(session));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(footage.Rendition, await response.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal(ETagOf(footage.Rendition), response.Headers.ETag!.Tag);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([("media", 0L, footage.Rendition.Length - 1L)], await _playback.RangesAsync(session));
    }

    [Theory]
    [InlineData("bytes=0-99", 0, 99)]
    [InlineData("bytes=100-", 100, -1)]
    [InlineData("bytes=-500", -500, -1)]
    [InlineData("bytes=1000-1000", 1000, 1000)]
    [InlineData("bytes=204700-999999999", 204700, -1)]
    [InlineData("bytes=0-99999999999999999999999999", 0, -1)]
    [InlineData("bytes=-99999999999999999999999999", 0, -1)]
    [InlineData("BYTES = 10-20", 10, 20)]
    [InlineData("bytes=, 7-8 ,", 7, 8)]
    public async Task A_single_range_is_answered_206_with_exactly_those_bytes_and_logged_before_it_leaves(string range, long first, long last)
    {
        var (viewer, footage, session) = await ViewingAsync();
        var length = footage.Rendition.Length;
        var from = first < 0 ? length + first : first;
        var to = last < 0 ? length - 1 : last;

        var response = await PlaybackHarness.GetAsync(viewer, Media(session), range);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {from}-{to}/{length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(footage.Rendition[(int)from..(int)(to + 1)], await response.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal([("media", from, to)], await _playback.RangesAsync(session));
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=")]
    [InlineData("bytes=-")]
    [InlineData("bytes=1-2-3")]
    [InlineData("bytes=+1-2")]
    [InlineData("bytes=0x10-20")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=204800-")]
    [InlineData("bytes=99999999999999999999999999-")]
    [InlineData("bytes=0-1,abc")]
    [InlineData("bytes=900000-900001,999999-")]
    public async Task A_malformed_or_unsatisfiable_range_is_416_with_the_length_and_serves_and_logs_nothing(string range)
    {
        var (viewer, footage, session) = await ViewingAsync(200 * 1024);

        var response = await PlaybackHarness.GetAsync(viewer, Media(session), range);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{footage.Rendition.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
        Assert.Empty(await _playback.RangesAsync(session));
    }

    [Theory]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-10,5-20")]
    [InlineData("bytes=0-0,-1")]
    [InlineData("bytes=100-200, 0-50, 150-300")]
    public async Task Another_unit_or_several_ranges_get_the_whole_rendition_as_documented(string range)
    {
        var (viewer, footage, session) = await ViewingAsync();

        var response = await PlaybackHarness.GetAsync(viewer, Media(session), range);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(footage.Rendition, await response.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal([("media", 0L, footage.Rendition.Length - 1L)], await _playback.RangesAsync(session));
    }

    [Fact]
    public async Task If_range_with_the_current_etag_gets_the_range_and_with_any_other_validator_the_whole()
    {
        var (viewer, footage, session) = await ViewingAsync();
        var etag = ETagOf(footage.Rendition);

        var matching = await PlaybackHarness.GetAsync(viewer, Media(session), "bytes=10-19", etag);
        var stale = await PlaybackHarness.GetAsync(viewer, Media(session), "bytes=10-19", "\"" + new string('0', 64) + "\"");
        var weak = await PlaybackHarness.GetAsync(viewer, Media(session), "bytes=10-19", "W/" + etag);
        var date = await PlaybackHarness.GetAsync(viewer, Media(session), "bytes=10-19", "Wed, 21 Oct 2015 07:28:00 GMT");

        Assert.Equal(HttpStatusCode.PartialContent, matching.StatusCode);
        Assert.Equal(footage.Rendition[10..20], await matching.Content.ReadAsByteArrayAsync(Token));
        foreach (var whole in new[] { stale, weak, date })
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(footage.Rendition, await whole.Content.ReadAsByteArrayAsync(Token));
        }

        var all = (0L, footage.Rendition.Length - 1L);
        Assert.Equal([("media", 10L, 19L), ("media", all.Item1, all.Item2), ("media", all.Item1, all.Item2), ("media", all.Item1, all.Item2)], await _playback.RangesAsync(session));
    }

    [Fact]
    public async Task Head_answers_the_headers_of_the_range_without_a_byte_and_logs_nothing()
    {
        var (viewer, footage, session) = await ViewingAsync();

        var head = await PlaybackHarness.GetAsync(viewer, Media(session), "bytes=0-9", method: HttpMethod.Head);
        var whole = await PlaybackHarness.GetAsync(viewer, Media(session), method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.PartialContent, head.StatusCode);
        Assert.Equal($"bytes 0-9/{footage.Rendition.Length}", head.Content.Headers.ContentRange!.ToString());
        Assert.Equal(10, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(footage.Rendition.Length, whole.Content.Headers.ContentLength);
        Assert.Empty(await _playback.RangesAsync(session));
    }

    [Fact]
    public async Task A_stream_without_a_session_or_with_someone_elses_or_an_ended_or_expired_one_serves_and_logs_nothing()
    {
        var (viewer, footage, session) = await ViewingAsync();
        var unit = await _playback.Records.UnitAsync();
        var colleague = await _playback.ApiAsync([Roles.Reviewer], unit);
        var ended = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        Assert.Equal(HttpStatusCode.NoContent, (await viewer.PostAsync($"/api/v1/sessions/{ended}/end", null)).StatusCode);
        var expired = await PlaybackHarness.SessionAsync(viewer, footage.RecordingId);
        await _playback.ExpireAsync(expired);
        var before = await _playback.Records.EventsAsync("playback.range");

        var cases = new (PlaybackHarness.Client Who, Guid Session, HttpStatusCode Status)[]
        {
            (viewer, Guid.CreateVersion7(), HttpStatusCode.NotFound),
            (colleague, session, HttpStatusCode.Forbidden),
            (viewer, ended, HttpStatusCode.Gone),
            (viewer, expired, HttpStatusCode.Gone),
        };
        foreach (var (who, id, status) in cases)
        {
            foreach (var path in new[] { Media(id), $"/api/v1/sessions/{id}/thumbnails.vtt", $"/api/v1/sessions/{id}/sprite.jpg", $"/api/v1/sessions/{id}/poster.jpg" })
            {
                var response = await PlaybackHarness.GetAsync(who, path, "bytes=0-99");
                Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal(before, await _playback.Records.EventsAsync("playback.range"));
    }

    [Theory]
    [InlineData("/api/v1/sessions/..%2F..%2Fetc%2Fpasswd/media")]
    [InlineData("/api/v1/sessions/../../etc/passwd/media")]
    [InlineData("/api/v1/sessions/not-a-guid/media")]
    [InlineData("/api/v1/sessions/%2e%2e%2f%2e%2e/thumbnails.vtt")]
    [InlineData("/api/v1/sessions/12345/sprite.jpg")]
    public async Task Ids_that_are_not_uuids_are_404_before_any_handler(string path)
    {
        var (viewer, _, _) = await ViewingAsync();
        var before = await _playback.Records.AllEventsAsync();

        var response = await PlaybackHarness.GetAsync(viewer, path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    [Fact]
    public async Task When_the_range_cannot_be_logged_the_stream_refuses_and_serves_nothing()
    {
        var (viewer, footage, session) = await ViewingAsync();
        var trigger = $"t_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection))
        {
            // An attacker or a fault that makes the audit append fail: the outbox refuses playback ranges.
            await admin.OpenAsync(Token);
            await admin.ExecuteAsync($"""
                CREATE FUNCTION {app.Schema}.{trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.action = 'playback.range' THEN RAISE EXCEPTION 'audit append broken for the test'; END IF;
                    RETURN NEW;
                END; $$;
                CREATE TRIGGER {trigger} BEFORE INSERT ON {app.Schema}.audit_outbox FOR EACH ROW EXECUTE FUNCTION {app.Schema}.{trigger}();
                """);
        }

        HttpResponseMessage refused;
        try
        {
            refused = await PlaybackHarness.GetAsync(viewer, Media(session), "bytes=0-1023");
        }
        finally
        {
            await using var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection);
            await admin.OpenAsync(Token);
            await admin.ExecuteAsync($"DROP TRIGGER {trigger} ON {app.Schema}.audit_outbox; DROP FUNCTION {app.Schema}.{trigger}();");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True((await refused.Content.ReadAsByteArrayAsync(Token)).AsSpan().IndexOf(footage.Rendition.AsSpan(0, 16)) < 0);
        Assert.Empty(await _playback.RangesAsync(session));
        Assert.Equal(0L, await BytesServedAsync(session));

        var served = await PlaybackHarness.GetAsync(viewer, Media(session), "bytes=0-1023");
        Assert.Equal(HttpStatusCode.PartialContent, served.StatusCode);
        Assert.Equal([("media", 0L, 1023L)], await _playback.RangesAsync(session));
        Assert.Equal(1024L, await BytesServedAsync(session));
    }

    private async Task<long> BytesServedAsync(Guid session)
    {
        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT bytes_served FROM playback_sessions WHERE id = @session", new { session }, cancellationToken: Token));
    }
}
