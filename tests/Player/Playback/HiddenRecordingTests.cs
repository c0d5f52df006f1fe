using System.Net;
using System.Text.Json.Nodes;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>
/// Existence probing: every endpoint keyed by a recording id answers a recording the caller may not see
/// exactly as one that does not exist — same status, same problem body — so no answer tells another
/// unit's footage apart from none. The caller is a supervisor, whose roles reach every one of these
/// endpoints; only visibility stands in the way, and nothing is written or audited.
/// </summary>
public sealed class HiddenRecordingTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private readonly PlaybackHarness _playback = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "POST", "/api/v1/recordings/{id}/sessions", """{"reason":"复核 reviewing","variant":"rendition"}""" },
        { "POST", "/api/v1/recordings/{id}/view-approvals", """{"reason":"需要查看 need to view"}""" },
        { "GET", "/api/v1/recordings/{id}/view-approvals", null },
        { "PUT", "/api/v1/recordings/{id}/classification", """{"classification":"personal_privacy","reason":"涉及个人隐私"}""" },
        { "GET", "/api/v1/recordings/{id}/watched", null },
        { "GET", "/api/v1/recordings/{id}/markers", null },
        { "POST", "/api/v1/recordings/{id}/markers", """{"atSeconds":1.5,"note":"嫌疑人出示证件"}""" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_recording_the_caller_may_not_see_is_answered_exactly_as_one_that_does_not_exist(string method, string path, string? json)
    {
        var unit = await _playback.Records.UnitAsync();
        var theirs = await _playback.FootageAsync(await _playback.Records.UnitAsync());
        var supervisor = await _playback.BrowserAsync([Roles.Supervisor], unit);
        var before = await _playback.Records.AllEventsAsync();

        var hidden = await SendAsync(supervisor, method, path.Replace("{id}", theirs.RecordingId.ToString(), StringComparison.Ordinal), json);
        var missing = await SendAsync(supervisor, method, path.Replace("{id}", Guid.CreateVersion7().ToString(), StringComparison.Ordinal), json);

        Assert.Equal(missing, hidden);
        Assert.NotEqual(HttpStatusCode.Forbidden, hidden.Status);
        Assert.True(hidden.Status is HttpStatusCode.NotFound || (method == "GET" && hidden.Status == HttpStatusCode.OK), $"{method} {path}: {hidden}");
        Assert.Equal(before, await _playback.Records.AllEventsAsync());
    }

    /// <summary>The status and the body, less the problem's per-request trace id.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(PlaybackHarness.Client client, string method, string path, string? json)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        request.Headers.Add("RequestVerificationToken", client.Antiforgery);
        var response = await client.Http.SendAsync(request, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        if (JsonNode.Parse(body is "" ? "null" : body) is JsonObject problem)
        {
            problem.Remove("traceId");
            body = problem.ToJsonString();
        }

        return (response.StatusCode, body);
    }
}
