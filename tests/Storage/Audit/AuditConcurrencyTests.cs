using System.Text.Json;
using Dapper;
using Enforcement.Media.Storage.Audit;

namespace Enforcement.Media.Tests.Storage.Audit;

/// <summary>Many writers, several sealers and a checkpointer at once (as many processes would be): one linear, gapless, valid chain.</summary>
public sealed class AuditConcurrencyTests
{
    private const int Writers = 8;
    private const int EventsPerWriter = 10_000;
    private const int Batch = 250;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Eight_writers_of_ten_thousand_events_each_make_one_gapless_valid_chain()
    {
        await using var scenario = await AuditScenario.OnFileSystemAsync();
        var trail = scenario.Trail;

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(
            async () =>
            {
                for (var first = 0; first < EventsPerWriter; first += Batch)
                {
                    await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
                    await using var transaction = await connection.BeginTransactionAsync(Token);
                    var entries = Enumerable.Range(first, Batch)
                        .Select(n => new AuditEntry($"station:{writer}", "test.concurrent", "writer", writer.ToString(System.Globalization.CultureInfo.InvariantCulture), new { writer, n }))
                        .ToList();
                    await trail.AppendManyAsync(connection, entries, Token);
                    await transaction.CommitAsync(Token);
                }
            },
            Token)).ToArray();
        var writing = Task.WhenAll(writers);

        // Three sealers compete, as the sealers of three processes would, and checkpoints are signed meanwhile.
        var sealers = Enumerable.Range(0, 3).Select(_ => Task.Run(
            async () =>
            {
                while (true)
                {
                    var writersDone = writing.IsCompleted;
                    if (await scenario.Sealer.SealBatchAsync(Token) == 0)
                    {
                        if (writersDone)
                        {
                            return;
                        }

                        await Task.Delay(5, Token);
                    }
                }
            },
            Token)).ToArray();
        var checkpoints = Task.Run(
            async () =>
            {
                var written = 0;
                while (!writing.IsCompleted)
                {
                    written += await scenario.Checkpointer.CheckpointIfDueAsync(force: true, Token) is null ? 0 : 1;
                    await Task.Delay(100, Token);
                }

                return written;
            },
            Token);

        await writing;
        await Task.WhenAll(sealers);
        var checkpointsWhileWriting = await checkpoints;
        await scenario.Sealer.SealAllAsync(Token);
        await scenario.Checkpointer.CheckpointIfDueAsync(force: true, Token);

        var result = await scenario.Verifier.VerifyCatalogueAsync([], Token);
        Assert.True(result.IsValid, string.Join("\n", result.Problems.Take(10)));
        var total = await scenario.ScalarAsync("SELECT count(*) FROM audit_events", Token);
        Assert.Equal(Writers * EventsPerWriter, await scenario.ScalarAsync("SELECT count(*) FROM audit_events WHERE action = 'test.concurrent'", Token));
        Assert.Equal((1L, total), (await scenario.ScalarAsync("SELECT min(seq) FROM audit_events", Token), await scenario.ScalarAsync("SELECT max(seq) FROM audit_events", Token)));
        Assert.Equal(total, result.Events);
        Assert.Equal(result.LastSeq, result.Checkpoints.Max(c => c.Seq));
        Assert.True(result.Checkpoints.Count >= checkpointsWhileWriting + 1);
        Assert.Equal(0, await scenario.ScalarAsync("SELECT count(*) FROM audit_outbox", Token));

        // Each writer's events keep the order it wrote them in.
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        var chained = await connection.QueryAsync<string>("SELECT details FROM audit_events WHERE action = 'test.concurrent' ORDER BY seq");
        var byWriter = chained.Select(d => JsonSerializer.Deserialize<Written>(d)!).GroupBy(w => w.Writer).ToDictionary(g => g.Key, g => g.Select(w => w.N).ToList());
        Assert.Equal(Writers, byWriter.Count);
        Assert.All(byWriter.Values, ns => Assert.Equal(Enumerable.Range(0, EventsPerWriter), ns));
    }

    private sealed record Written([property: System.Text.Json.Serialization.JsonPropertyName("writer")] int Writer, [property: System.Text.Json.Serialization.JsonPropertyName("n")] int N);
}
