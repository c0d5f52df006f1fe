using System.Text;
using Enforcement.Media.Storage.Alerts;

namespace Enforcement.Media.Ingest.Alerts;

/// <summary>
/// POSTs an alert's body to one webhook, signed (<see cref="WebhookSignature"/>) afresh for each attempt, and
/// says how it went. A 2xx is delivered; anything else — another status, no answer within
/// <c>Alerts:Timeout</c>, a refused connection — is an attempt that failed, for the caller to retry. Redirects
/// are not followed: a signed alert goes only where it was configured to go.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "alerts";

    public const string EventIdHeader = "X-EM-Event-Id";

    public const string EventTypeHeader = "X-EM-Event-Type";

    public async Task<WebhookAnswer> SendAsync(AlertWebhook webhook, StoredAlert alert, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(alert.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventIdHeader, alert.Id.ToString());
        request.Headers.Add(EventTypeHeader, alert.Kind);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.HeaderValue(webhook.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new WebhookAnswer(true, status, null)
                : new WebhookAnswer(false, status, $"the receiver answered {status} {response.ReasonPhrase}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAnswer(false, null, "no answer within Alerts:Timeout");
        }
        catch (HttpRequestException ex)
        {
            // The message names the host and the socket error, never the URL's path or query, nor the secret.
            return new WebhookAnswer(false, null, $"{ex.HttpRequestError}: {ex.Message}");
        }
    }
}
