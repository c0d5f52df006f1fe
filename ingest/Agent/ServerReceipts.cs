using System.Net;
using System.Net.Http.Headers;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Ingest.Uploads;
using Enforcement.Media.Ingest.Uploads.Client;
using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// <c>GET /api/v1/receipts/{sha256}</c> on the ingest server: the catalogue's own receipt for
/// content, which the agent checks against what it read before it writes a receipt or deletes.
/// Transient faults are retried by the agent's <see cref="HttpClient"/> (<see cref="TusRetries.Handler"/>): a GET may be repeated.
/// </summary>
public sealed class ServerReceipts(HttpClient http, Uri serverBase, string key)
{
    public Uri Server => serverBase;

    /// <summary>The catalogue's receipt, or null when it holds no such content (404).</summary>
    public async Task<Receipt?> FindAsync(Sha256Digest sha256, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serverBase, $"api/v1/receipts/{sha256.Hex}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (StationKeyRefusedException.Refuses(response.StatusCode))
        {
            throw new StationKeyRefusedException(serverBase, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new TusUploadException($"GET {request.RequestUri} answered {(int)response.StatusCode}: {(body.Length > 500 ? body[..500] : body)}", response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<Receipt>(UploadJson.Options, cancellationToken)
            ?? throw new TusUploadException($"GET {request.RequestUri} sent an empty receipt.");
    }
}
