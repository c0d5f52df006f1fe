using System.Net;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Publications;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Publications;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Publications;

/// <summary>
/// The publication access log is group-committed as the viewing ledger is: many public requests at once share
/// commits, yet each answer goes out only once its own line is on record; a line that cannot be written fails
/// its request, which serves nothing; and a log that stops refuses what it has not written, so no answer it
/// let out is missing from the table.
/// </summary>
public sealed class PublicViewLogTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly RedactionHarness _redactions = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>An approved item: its id, its public path and the bytes of its watermarked copy.</summary>
    private async Task<(Guid Id, string Path, byte[] Copy)> PublishedAsync()
    {
        var unit = await _redactions.Playback.Records.UnitAsync();
        var footage = await _redactions.ProbedAsync(unit);
        var reviewer = await _redactions.Playback.ApiAsync([Roles.Reviewer], unit);
        var supervisor = await _redactions.Playback.ApiAsync([Roles.Supervisor], unit);
        var redactionId = await RedactionHarness.CreateAsync(reviewer, footage.RecordingId);
        await _redactions.RenderedAsync(redactionId);
        var publications = app.Service<PublicationService>();
        var asked = await publications.RequestAsync(
            new Viewer(reviewer.UserId, $"user:{reviewer.Username}", unit), redactionId, new NewPublication("公示 public log", "正文 text"), Token);
        var copy = (await _redactions.PublicationRenderedAsync(asked.Id))!;
        var approved = await publications.DecideAsync(
            new Viewer(supervisor.UserId, $"user:{supervisor.Username}", unit), asked.Id, new PublicationDecision(true, "已审核 reviewed", 7), Token);
        return (asked.Id, approved.PublicPath!, copy);
    }

    private async Task<List<(string What, long? From, long? To, int Status)>> LinesAsync(Guid publicationId)
    {
        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        return [.. await connection.QueryAsync<(string, long?, long?, int)>(new CommandDefinition(
            "SELECT what, range_from, range_to, status FROM publication_views WHERE publication_id = @publicationId",
            new { publicationId },
            cancellationToken: Token))];
    }

    private async Task<long> ViewCountAsync(Guid publicationId)
    {
        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT view_count FROM publications WHERE id = @publicationId", new { publicationId }, cancellationToken: Token));
    }

    private static async Task AsAdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdminConnection);
        await admin.OpenAsync(Token);
        await admin.ExecuteAsync(sql);
    }

    [Fact]
    public async Task Many_ranges_and_pages_at_once_are_each_on_record_as_answered_and_only_pages_count_as_views()
    {
        var (id, path, copy) = await PublishedAsync();
        var ranges = Enumerable.Range(0, 120).Select(i => (First: i * 500L, Last: (i * 500L) + 499 + i)).ToArray();

        var media = ranges.Select(async (range, i) =>
        {
            using var client = app.NewClient($"10.78.0.{i + 1}");
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}/media");
            request.Headers.TryAddWithoutValidation("Range", $"bytes={range.First}-{range.Last}");
            using var response = await client.SendAsync(request, Token);
            return (response.StatusCode, Body: await response.Content.ReadAsByteArrayAsync(Token));
        }).ToArray();
        var pages = Enumerable.Range(0, 30).Select(async i =>
        {
            using var client = app.NewClient($"10.78.1.{i + 1}");
            using var response = await client.GetAsync(path, Token);
            return response.StatusCode;
        }).ToArray();
        var served = await Task.WhenAll(media);
        var shown = await Task.WhenAll(pages);

        for (var i = 0; i < ranges.Length; i++)
        {
            Assert.Equal(HttpStatusCode.PartialContent, served[i].StatusCode);
            Assert.Equal(copy[(int)ranges[i].First..(int)(ranges[i].Last + 1)], served[i].Body);
        }

        Assert.All(shown, status => Assert.Equal(HttpStatusCode.OK, status));
        var expected = ranges.Select(r => ("media", (long?)r.First, (long?)r.Last, 206)).Concat(Enumerable.Repeat(("page", (long?)null, (long?)null, 200), 30));
        Assert.Equal(expected.Order().ToList(), (await LinesAsync(id)).Order().ToList());
        Assert.Equal(30, await ViewCountAsync(id));
    }

    [Fact]
    public async Task When_the_line_cannot_be_written_the_public_address_serves_nothing()
    {
        var (id, path, copy) = await PublishedAsync();
        // A fault that leaves the access log unwritable: the application role may no longer insert into it.
        var role = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnection).Username;
        await AsAdminAsync($"REVOKE INSERT ON {app.Schema}.publication_views FROM {role}");
        using var anonymous = app.NewClient();
        HttpResponseMessage page;
        HttpResponseMessage media;
        try
        {
            page = await anonymous.GetAsync(path, Token);
            media = await anonymous.GetAsync($"{path}/media", Token);
        }
        finally
        {
            await AsAdminAsync($"GRANT INSERT ON {app.Schema}.publication_views TO {role}");
        }

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.DoesNotContain("公示 public log", await page.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, media.StatusCode);
        Assert.True((await media.Content.ReadAsByteArrayAsync(Token)).AsSpan().IndexOf(copy.AsSpan(0, 16)) < 0);
        Assert.Empty(await LinesAsync(id));
        Assert.Equal(0, await ViewCountAsync(id));

        Assert.Equal(copy, await anonymous.GetByteArrayAsync($"{path}/media", Token));
        Assert.Equal([("media", 0L, copy.Length - 1L, 200)], await LinesAsync(id));
    }

    [Fact]
    public async Task A_log_stopped_in_the_middle_of_a_write_refuses_every_line_not_committed_and_keeps_every_line_it_answered()
    {
        var (id, _, _) = await PublishedAsync();
        var log = new PublicViewLog(app.Service<PublicationStore>(), NullLogger<PublicViewLog>.Instance);
        await log.StartAsync(Token);
        PublicView Line(int i) => new(id, TimeProvider.System.GetUtcNow().UtcDateTime, $"10.79.{i / 250}.{(i % 250) + 1}", $"agent {i}", PublicView.Media, i, i, 206);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.RecordAsync(Line(i), Token)));
        await using (var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token))
        {
            // Lines handed in together share transactions (a row's xmin is the transaction that wrote it).
            var transactions = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(DISTINCT xmin::text) FROM publication_views WHERE publication_id = @id", new { id }, cancellationToken: Token));
            Assert.InRange(transactions, 1, 299);
        }

        // Another transaction holds the table: the writer's next insert waits, and more lines queue behind it.
        await using var holder = new NpgsqlConnection(TestServices.PostgresAdminConnection);
        await holder.OpenAsync(Token);
        await using var hold = await holder.BeginTransactionAsync(Token);
        await holder.ExecuteAsync($"LOCK TABLE {app.Schema}.publication_views IN EXCLUSIVE MODE", transaction: hold);
        var waiting = Enumerable.Range(300, 300).Select(i => log.RecordAsync(Line(i), Token)).ToArray();
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(1);
        while (!await holder.ExecuteScalarAsync<bool>(
            $"SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = '{app.Schema}.publication_views'::regclass AND NOT granted)", transaction: hold))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the writer never reached the held table");
            await Task.Delay(20, Token);
        }

        await log.StopAsync(Token);
        await hold.RollbackAsync(Token);

        foreach (var line in waiting)
        {
            Assert.True((await Assert.ThrowsAsync<GroupCommitException>(() => line)).Stopped);
        }

        Assert.True((await Assert.ThrowsAsync<GroupCommitException>(() => log.RecordAsync(Line(600), Token))).Stopped);
        Assert.Equal(Enumerable.Range(0, 300), (await LinesAsync(id)).Select(l => (int)l.From!.Value).Order());
    }
}
