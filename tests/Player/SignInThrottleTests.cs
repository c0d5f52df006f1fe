using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;
using Npgsql;

namespace Enforcement.Media.Tests.Player;

/// <summary>
/// Guessing passwords is slowed per source and per username without handing anyone a way to lock a user
/// out, and every failed sign-in looks the same whether the name exists, is disabled or had a wrong password.
/// Each test uses addresses of its own (the counts are per source and shared by the class's app).
/// </summary>
public sealed partial class SignInThrottleTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private const string Password = "the right password";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_failed_sign_in_gets_the_same_answer_whether_the_user_is_unknown_disabled_or_the_password_wrong()
    {
        var existing = await UserAsync();
        var disabled = await UserAsync();
        await app.Service<AccountService>().ChangeAsync(disabled.Id, null, null, true, null, "user:test", Token);

        var nobody = $"nobody{Guid.NewGuid():N}"[..20];
        var unknown = await PlayerApp.LoginAsync(app.NewClient("192.0.2.11"), nobody, Password);
        var wrong = await PlayerApp.LoginAsync(app.NewClient("192.0.2.12"), existing.Username, "not the password");
        var off = await PlayerApp.LoginAsync(app.NewClient("192.0.2.13"), disabled.Username, Password);

        var answers = new[] { unknown, wrong, off };
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        var bodies = await Task.WhenAll(answers.Select(async a => Comparable(await a.Content.ReadAsStringAsync(Token))));
        Assert.Single(bodies.Distinct());
        Assert.Equal(
            ["unknown user", "wrong password", "disabled"],
            [await WhyAsync(nobody, "unknown user"), await WhyAsync(existing.Username, "wrong password"), await WhyAsync(disabled.Username, "disabled")]);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_throttled_exactly_like_one_that_does()
    {
        var existing = await UserAsync();
        var ghost = $"ghost{Guid.NewGuid():N}"[..20];
        var real = app.NewClient("192.0.2.21");
        var made = app.NewClient("192.0.2.22");

        var realAnswers = new List<HttpStatusCode>();
        var madeAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            realAnswers.Add((await PlayerApp.LoginAsync(real, existing.Username, "guess " + i)).StatusCode);
            madeAnswers.Add((await PlayerApp.LoginAsync(made, ghost, "guess " + i)).StatusCode);
        }

        Assert.Equal(realAnswers, madeAnswers);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], realAnswers);
    }

    [Fact]
    public async Task A_source_guessing_across_many_usernames_must_wait_while_other_sources_sign_in()
    {
        var victim = await UserAsync();
        var guesser = app.NewClient("2001:db8:aa:1::1");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(guesser, $"name{i}-{Guid.NewGuid():N}"[..20], "guess")).StatusCode);
        }

        // Another address of the same IPv6 /64 is the same source; another /64 is not.
        var sameNetwork = await PlayerApp.LoginAsync(app.NewClient("2001:db8:aa:1::beef"), victim.Username, Password);
        var otherNetwork = await PlayerApp.LoginAsync(app.NewClient("2001:db8:aa:2::1"), victim.Username, Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, otherNetwork.StatusCode);
    }

    [Fact]
    public async Task Guesses_at_one_username_from_many_sources_slow_strangers_but_not_the_users_own_browser()
    {
        var user = await UserAsync();
        var own = app.NewClient("203.0.113.200");
        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(own, user.Username, Password)).StatusCode);
        await own.PostAsync("/accounts/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await PlayerApp.AntiforgeryTokenAsync(own, "/") }), Token);

        for (var source = 0; source < 10; source++)
        {
            var bot = app.NewClient($"203.0.113.{source + 1}");
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(bot, user.Username, $"guess {source}.{i}")).StatusCode);
            }
        }

        var stranger = await PlayerApp.LoginAsync(app.NewClient("203.0.113.100"), user.Username, Password);
        var ownBrowser = await PlayerApp.LoginAsync(own, user.Username, Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ownBrowser.StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_and_the_waits_they_start_are_audited_with_the_source_address()
    {
        var user = await UserAsync();
        var guesser = app.NewClient("198.51.100.99");
        for (var i = 0; i < 5; i++)
        {
            await PlayerApp.LoginAsync(guesser, user.Username, "guess " + i);
        }

        await PlayerApp.LoginAsync(guesser, user.Username, Password); // refused unchecked: not one more audit event

        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        var failures = (await connection.QueryAsync<string>(new CommandDefinition(
            $"{AuditSql} AND action = 'login.failed' AND subject_id = @subject", new { subject = user.Id.ToString() }, cancellationToken: Token))).ToList();
        Assert.Equal(5, failures.Count);
        Assert.All(failures, f => Assert.Contains("\"clientAddress\":\"198.51.100.99\"", f, StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains($"\"key\":\"pair:{user.Username.ToLowerInvariant()}|198.51.100.99\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_right_password_clears_what_the_failures_before_it_counted_for_that_username()
    {
        var user = await UserAsync();
        var client = app.NewClient("198.51.100.150");
        for (var i = 0; i < 4; i++)
        {
            await PlayerApp.LoginAsync(client, user.Username, "typo " + i);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(client, user.Username, Password)).StatusCode);
        var afterwards = app.NewClient("198.51.100.150");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PlayerApp.LoginAsync(afterwards, user.Username, "typo again " + i)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await PlayerApp.LoginAsync(afterwards, user.Username, Password)).StatusCode);
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(1, 30)]
    [InlineData(3, 120)]
    [InlineData(7, 1440)]
    [InlineData(1_000_000, 1440)]
    public void A_wait_doubles_with_each_failure_past_the_limit_up_to_the_longest(int beyond, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), SignInThrottle.Wait(beyond, new AccountOptions()));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData(null, "unknown")]
    public void A_source_is_an_IPv4_address_or_an_IPv6_64_prefix(string? address, string source)
    {
        Assert.Equal(source, SignInAttempt.Of(" Name ", address is null ? null : IPAddress.Parse(address)).Source);
        Assert.Equal("name", SignInAttempt.Of(" Name ", null).Username);
    }

    private const string AuditSql = """
        SELECT details FROM (SELECT action, subject_id, details FROM audit_events
                             UNION ALL SELECT action, subject_id, details FROM audit_outbox) e WHERE true
        """;

    private async Task<UserAccount> UserAsync() =>
        await app.Service<AccountService>().CreateAsync($"t{Guid.NewGuid():N}"[..20], "Throttled", null, [Roles.Reviewer], Password, mustChangePassword: false, "user:test", Token);

    private async Task<string> WhyAsync(string username, string why)
    {
        await using var connection = await app.Service<NpgsqlDataSource>().OpenConnectionAsync(Token);
        var found = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*) FROM ({AuditSql} AND action = 'login.failed' AND details LIKE @like) f",
            new { like = $"%\"username\":\"{username.ToLowerInvariant()}%\"why\":\"{why}\"%" },
            cancellationToken: Token));
        return found > 0 ? why : $"no login.failed for {username} with why={why}";
    }

    /// <summary>A page body without what differs per response anyway: the antiforgery token and the form's echo of the username.</summary>
    private static string Comparable(string html) => UsernameEcho().Replace(TokenField().Replace(html, string.Empty), string.Empty);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"Username\" value=\"[^\"]*\"")]
    private static partial Regex UsernameEcho();
}
