using System.Net;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Tests.Infrastructure;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>
/// The unit tree: a unit sees what every unit under it sees, all the way down, and nothing of its parent,
/// its siblings or unrelated units — footage and cases alike, through the one visibility rule.
/// </summary>
public sealed class UnitHierarchyTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<string> UnitAsync(string? parent)
    {
        var code = $"H{Guid.NewGuid():N}"[..20];
        await app.Service<AdminService>().CreateUnitAsync(code, "Unit", parent, "user:test", Token);
        return code;
    }

    [Fact]
    public async Task A_unit_sees_its_sub_units_all_the_way_down_and_nothing_above_beside_or_elsewhere()
    {
        var bureau = await UnitAsync(null);
        var district = await UnitAsync(bureau);
        var station = await UnitAsync(district);
        var otherDistrict = await UnitAsync(bureau);
        var elsewhere = await UnitAsync(null);
        string[] units = [bureau, district, station, otherDistrict, elsewhere];

        var footage = new Dictionary<string, Guid>();
        var cases = new Dictionary<string, string>();
        foreach (var unit in units)
        {
            footage[unit] = (await _playback.FootageAsync(unit)).RecordingId;
            cases[unit] = $"C{Guid.NewGuid():N}"[..16];
            await _playback.LinkToNewCaseAsync(cases[unit], unit, (await _playback.FootageAsync(unit)).RecordingId);
        }

        var expected = new Dictionary<string, string[]>
        {
            [bureau] = [bureau, district, station, otherDistrict],
            [district] = [district, station],
            [station] = [station],
            [otherDistrict] = [otherDistrict],
            [elsewhere] = [elsewhere],
        };

        foreach (var (viewerUnit, sees) in expected)
        {
            var viewer = await _playback.ApiAsync([Roles.Supervisor], viewerUnit);
            var (browser, _) = await app.SignedInAsync([Roles.Supervisor], viewerUnit);
            foreach (var unit in units)
            {
                var session = await PlaybackHarness.StartResponseAsync(viewer, footage[unit], new { reason = "督查 supervision" });
                var casePage = await browser.GetAsync($"/cases/{cases[unit]}", Token);
                var visible = sees.Contains(unit);
                Assert.True(visible ? session.StatusCode == HttpStatusCode.Created : session.StatusCode == HttpStatusCode.NotFound, $"{viewerUnit} → recording of {unit}: {(int)session.StatusCode}");
                Assert.True(visible ? casePage.StatusCode == HttpStatusCode.OK : casePage.StatusCode == HttpStatusCode.NotFound, $"{viewerUnit} → case of {unit}: {(int)casePage.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task A_unit_cannot_be_placed_under_its_own_sub_unit_and_the_tree_follows_a_move()
    {
        var top = await UnitAsync(null);
        var middle = await UnitAsync(top);
        var bottom = await UnitAsync(middle);
        var other = await UnitAsync(null);
        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        var cycle = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE units SET parent_code = @bottom WHERE code = @top", new { top, bottom }, cancellationToken: Token)));
        Assert.Contains("own sub-unit", cycle.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE units SET parent_code = code WHERE code = @top", new { top }, cancellationToken: Token)));

        const string within = "SELECT count(*) FROM unit_ancestry WHERE ancestor_code = @ancestor AND descendant_code = @descendant";
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(new CommandDefinition(within, new { ancestor = top, descendant = bottom }, cancellationToken: Token)));
        await connection.ExecuteAsync(new CommandDefinition("UPDATE units SET parent_code = @other WHERE code = @middle", new { other, middle }, cancellationToken: Token));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(new CommandDefinition(within, new { ancestor = top, descendant = bottom }, cancellationToken: Token)));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(new CommandDefinition(within, new { ancestor = other, descendant = bottom }, cancellationToken: Token)));
    }
}
