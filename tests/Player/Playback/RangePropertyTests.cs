using System.Net;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>
/// The property: for random sequences of range requests by random users on random
/// sessions (their own, others', ended, lapsed, unknown), with random Range/If-Range headers (valid, suffix,
/// open, several, malformed, huge) and sessions ending midway — every byte served is exactly the object's
/// bytes at the announced positions, and is covered by a logged range event of a session that was live and
/// belonged to the requesting user, whose role may watch; refused requests served no byte and logged nothing.
/// A seeded generator keeps each run reproducible: the seed is in the test name.
/// </summary>
public sealed class RangePropertyTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20261202)]
    public async Task Every_byte_served_is_covered_by_a_logged_range_of_a_live_session_of_an_allowed_user(int seed)
    {
        var random = new Random(seed);
        var unit = await _playback.Records.UnitAsync();
        var other = await _playback.Records.UnitAsync();
        var first = await _playback.FootageAsync(unit, random.Next(1, 300_000));
        var second = await _playback.FootageAsync(unit, random.Next(1, 50_000));
        var reviewerA = await _playback.ApiAsync([Roles.Reviewer], unit);
        var reviewerB = await _playback.ApiAsync([Roles.Reviewer], unit);
        var legal = await _playback.ApiAsync([Roles.LegalReviewer], unit);
        var outsider = await _playback.ApiAsync([Roles.Reviewer], other);
        var manager = await _playback.ApiAsync([Roles.RecordsManager], unit);
        PlaybackHarness.Client[] users = [reviewerA, reviewerB, legal, outsider, manager];

        var sessions = new List<Session>
        {
            await StartAsync(reviewerA, first.RecordingId, "rendition", first.Rendition),
            await StartAsync(reviewerA, second.RecordingId, "rendition", second.Rendition),
            await StartAsync(reviewerB, first.RecordingId, "rendition", first.Rendition),
            await StartAsync(legal, first.RecordingId, "original", first.Original),
            await StartAsync(legal, second.RecordingId, "rendition", second.Rendition),
            new(Guid.CreateVersion7(), reviewerA, [], "unknown"),
        };
        var served = new List<Served>();
        var refused = 0;
        var allowedRoles = new HashSet<Guid> { reviewerA.UserId, reviewerB.UserId, legal.UserId };

        for (var step = 0; step < 60; step++)
        {
            if (random.Next(12) == 0)
            {
                var victim = sessions[random.Next(sessions.Count - 1)];
                if (random.Next(2) == 0)
                {
                    await victim.Owner.PostAsync($"/api/v1/sessions/{victim.Id}/end", null);
                }
                else
                {
                    await _playback.ExpireAsync(victim.Id);
                }

                victim.Over = true;
            }

            var session = sessions[random.Next(sessions.Count)];
            var user = users[random.Next(users.Length)];
            var range = RandomRange(random, session.Content.Length);
            var ifRange = random.Next(6) switch
            {
                0 => session.ETag,
                1 => "\"stale\"",
                _ => null,
            };
            var head = random.Next(8) == 0;
            var response = await PlaybackHarness.GetAsync(user, $"/api/v1/sessions/{session.Id}/media", range, ifRange, head ? HttpMethod.Head : HttpMethod.Get);
            var body = await response.Content.ReadAsByteArrayAsync(Token);
            var what = $"seed {seed} step {step}: {user.Username} on {session.Kind} session {session.Id}, Range '{range}', If-Range '{ifRange}', {(head ? "HEAD" : "GET")} → {(int)response.StatusCode}";

            var mayServe = user == session.Owner && !session.Over && allowedRoles.Contains(user.UserId) && session.Kind != "unknown";
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent && !head && body.Length > 0)
            {
                Assert.True(mayServe, what);
                var (from, to) = response.StatusCode == HttpStatusCode.PartialContent
                    ? (response.Content.Headers.ContentRange!.From!.Value, response.Content.Headers.ContentRange.To!.Value)
                    : (0L, session.Content.Length - 1L);
                Assert.Equal(session.Content[(int)from..(int)(to + 1)], body);
                served.Add(new Served(session.Id, from, to));
            }
            else
            {
                // Refused, HEAD, or 416: not a byte of footage in the answer.
                Assert.True(body.Length == 0 || response.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
                if (!mayServe)
                {
                    refused++;
                    Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone, what);
                }
            }
        }

        Assert.NotEmpty(served); // the sequence exercised both sides of the property
        Assert.True(refused > 0, $"seed {seed}: no refused request in the sequence");
        var logged = new List<Served>();
        foreach (var session in sessions)
        {
            logged.AddRange((await _playback.RangesAsync(session.Id)).Select(r => new Served(session.Id, r.First, r.Last)));
        }

        // Every served response has its own logged range, and nothing was logged that was not served.
        Assert.Equal(served.Order().ToList(), logged.Order().ToList());
        Assert.Equal(await OwnersOfLoggedRangesAsync(sessions), logged.Select(l => sessions.Single(s => s.Id == l.SessionId).Owner.Username).Distinct().Order().ToList());
    }

    private async Task<List<string>> OwnersOfLoggedRangesAsync(List<Session> sessions)
    {
        // The actor on each logged range is the session's owner (user:<name>), never the requester of a refused call.
        const string sql = """
            SELECT DISTINCT actor FROM (
                SELECT actor, details FROM audit_events WHERE action = 'playback.range'
                UNION ALL SELECT actor, details FROM audit_outbox WHERE action = 'playback.range') e
            WHERE (details::jsonb ->> 'session') = ANY(@ids)
            """;
        await using var connection = await _playback.Catalogue.OpenConnectionAsync(Token);
        var actors = await connection.QueryAsync<string>(new CommandDefinition(sql, new { ids = sessions.Select(s => s.Id.ToString()).ToArray() }, cancellationToken: Token));
        return [.. actors.Select(a => a["user:".Length..]).Order()];
    }

    private static string? RandomRange(Random random, long length)
    {
        long Position() => random.Next(4) == 0 ? random.NextInt64(0, length + 10) : random.NextInt64(0, Math.Max(1, length));
        return random.Next(14) switch
        {
            0 => null,
            1 => $"bytes=-{random.NextInt64(0, length + 100)}",
            2 => $"bytes={Position()}-",
            3 => $"bytes={Position()}-{Position()}",
            4 => $"bytes={Position()}-{Position()},{Position()}-{Position()}",
            5 => "bytes=abc",
            6 => "items=0-1",
            7 => $"bytes={Position()}-99999999999999999999999",
            8 => "bytes=99999999999999999999999-",
            9 => $"bytes=0-{Position()}, 0-{Position()}",
            _ => $"bytes={Position() / 2}-{(Position() / 2) + random.Next(0, 70_000)}",
        };
    }

    private static async Task<Session> StartAsync(PlaybackHarness.Client owner, Guid recordingId, string variant, byte[] content)
    {
        var started = await PlaybackHarness.StartAsync(owner, recordingId, "property test", variant);
        return new Session(started.GetProperty("sessionId").GetGuid(), owner, content, variant);
    }

    private sealed record Served(Guid SessionId, long First, long Last) : IComparable<Served>
    {
        public int CompareTo(Served? other) => other is null ? 1 : (SessionId, First, Last).CompareTo((other.SessionId, other.First, other.Last));
    }

    private sealed record Session(Guid Id, PlaybackHarness.Client Owner, byte[] Content, string Kind)
    {
        public bool Over { get; set; }

        public string ETag => $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content))}\"";
    }

}
