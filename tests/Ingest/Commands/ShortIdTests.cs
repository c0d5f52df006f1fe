using Dapper;
using Enforcement.Media.Ingest.Commands;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Fixity;

namespace Enforcement.Media.Tests.Ingest.Commands;

/// <summary>Short ids in the operator's tables: they tell rows apart, and the commands that take a recording id take them.</summary>
public sealed class ShortIdTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Ids_made_in_the_same_millisecond_get_different_short_ids_from_their_random_end()
    {
        var now = TimeProvider.System.GetUtcNow();
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.CreateVersion7(now)).ToList();

        var shown = ShortId.Of(ids);

        Assert.Single(ids.Select(id => id.ToString()[..8]).Distinct()); // what the table showed before: the time, the same for all
        Assert.Equal(ids.Count, shown.Values.Distinct().Count());
        Assert.All(ids, id => Assert.EndsWith(shown[id], id.ToString("N"), StringComparison.Ordinal));
        Assert.All(shown.Values, s => Assert.Equal(ShortId.MinLength, s.Length));
    }

    [Fact]
    public void Two_ids_with_the_same_last_digits_are_both_shown_longer_until_they_differ()
    {
        var a = Guid.Parse("0193a1b2-0000-7000-8000-0000a1b2c3d4");
        var b = Guid.Parse("0193a1b2-0000-7000-8000-0001a1b2c3d4");
        var c = Guid.Parse("0193a1b2-0000-7000-8000-00000000ffff");

        var shown = ShortId.Of([a, b, c]);

        Assert.Equal(("0a1b2c3d4", "1a1b2c3d4", "0000ffff"), (shown[a], shown[b], shown[c]));
    }

    [Theory]
    [InlineData("a1b2c3d4", true)]
    [InlineData(" A1B2-C3D4 ", true)]
    [InlineData("0193a1b2-0000-7000-8000-0000a1b2c3d4", true)]
    [InlineData("a1b2c3d", false)] // too short to be worth looking up
    [InlineData("a1b2c3dx", false)]
    [InlineData("", false)]
    public void What_an_operator_types_is_read_as_hex_digits(string text, bool read) => Assert.Equal(read, ShortId.TryRead(text, out _));

    [Fact]
    public async Task Recordings_ingested_together_are_listed_with_different_short_ids_and_a_command_takes_one()
    {
        await using var scenario = await FixityScenario.StartAsync();
        var archive = new ArchiveHarness(scenario.Catalogue, scenario.Store).Archive;
        var both = await Task.WhenAll(
            archive.ArchiveAsync(new MemoryStream(Bytes.Random(4096, 1)), ArchiveHarness.Delivery("A100001_000001_20261208093000.mp4"), null, Token),
            archive.ArchiveAsync(new MemoryStream(Bytes.Random(4096, 2)), ArchiveHarness.Delivery("A100001_000001_20261208093100.mp4"), null, Token));
        var environment = scenario.Environment();
        environment["COLUMNS"] = "250";

        var (exitCode, output, error) = await IngestCli.RunAsync(["recordings", "list"], environment, Token);

        Assert.True(exitCode == 0, output + error);
        var shortIds = both.Select(r => r.RecordingId.ToString("N")[^ShortId.MinLength..]).ToList();
        Assert.NotEqual(shortIds[0], shortIds[1]);
        Assert.All(shortIds, s => Assert.Contains(s, output, StringComparison.Ordinal));

        var (holdCode, holdOutput, holdError) = await IngestCli.RunAsync(["retention", "hold", shortIds[1], "--reason", "litigation"], environment, Token);

        Assert.True(holdCode == 0, holdOutput + holdError);
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(both[1].RecordingId, await connection.ExecuteScalarAsync<Guid>("SELECT recording_id FROM legal_holds"));
        var (unknownCode, _, unknownError) = await IngestCli.RunAsync(["retention", "hold", "00000000", "--reason", "x"], environment, Token);
        Assert.Equal((1, true), (unknownCode, unknownError.Contains("no recording's id ends in 00000000", StringComparison.Ordinal)));
    }
}
