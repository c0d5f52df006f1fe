using System.Net;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Ingest.Uploads;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest;

/// <summary>
/// The ingest web app's edge, on Kestrel: every API answer is marked not to be sniffed, framed, run or
/// cached; a request a trusted proxy forwards as https is HTTPS (HSTS is sent), one from anyone else is not;
/// and a trusted proxy that is not an address stops start-up naming the setting.
/// </summary>
public sealed class IngestEdgeTests(UploadServerFixture ingest) : IClassFixture<UploadServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Api_answers_and_refusals_carry_nosniff_a_closed_policy_and_no_store()
    {
        var (_, token) = await ingest.CreateKeyAsync(ApiKeyKind.CaseSystem);
        var caseSystem = ingest.Server.Client(token, tusResumable: false);
        var stranger = ingest.Server.Client(null, tusResumable: false);

        var found = await caseSystem.GetAsync($"/api/v1/cases/NONE-{Guid.NewGuid():N}", Token);
        var refused = await stranger.GetAsync($"/api/v1/receipts/{new string('0', 64)}", Token);
        var health = await stranger.GetAsync("/health", Token);

        Assert.Equal(HttpStatusCode.NotFound, found.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        foreach (var response in new[] { found, refused, health })
        {
            var what = $"{response.RequestMessage!.RequestUri} ({(int)response.StatusCode})";
            Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", what);
            Assert.True(Header(response, "Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'", what);
            Assert.True(Header(response, "Cache-Control")?.Contains("no-store", StringComparison.Ordinal) == true, what); // /health says no-cache too
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), what);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.9.8.7", false)]
    public async Task Forwarded_https_is_believed_only_from_a_trusted_proxy(string trustedProxy, bool believed)
    {
        await using var server = await ingest.StartServerAsync($"ForwardedHeaders:KnownProxies:0={trustedProxy}");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await server.Client(null, tusResumable: false).SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(believed ? SecurityHeaders.StrictTransportSecurity : null, Header(response, "Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0=nginx.internal", "ForwardedHeaders:KnownProxies: 'nginx.internal' is not an IP address.")]
    [InlineData("ForwardedHeaders:KnownNetworks:0=10.0.0.0/33", "ForwardedHeaders:KnownNetworks: '10.0.0.0/33' is not a network in CIDR notation")]
    public void A_trusted_proxy_that_is_not_an_address_stops_start_up_naming_the_setting(string setting, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => IngestHost.Build([$"--{setting}", "--Catalogue:MigrateOnStart=false"]));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
