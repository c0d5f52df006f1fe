using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Enforcement.Media.Ingest.Receipts;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>tus requests written out by hand, as curl would send them.</summary>
public static class Tus
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(',', pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, long length, string? metadata = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads");
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        if (metadata is not null)
        {
            request.Headers.TryAddWithoutValidation("Upload-Metadata", metadata);
        }

        return await client.SendAsync(request, Token);
    }

    /// <summary>Creates an upload and returns its path (asserting 201 and a Location).</summary>
    public static async Task<string> CreateAsync(HttpClient client, long length, string? metadata = null)
    {
        using var response = await PostAsync(client, length, metadata);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<HttpResponseMessage> PatchAsync(
        HttpClient client, string location, long offset, byte[] bytes, string? checksum = null, string contentType = "application/offset+octet-stream")
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        if (checksum is not null)
        {
            request.Headers.TryAddWithoutValidation("Upload-Checksum", checksum);
        }

        return await client.SendAsync(request, Token);
    }

    public static async Task<HttpResponseMessage> HeadAsync(HttpClient client, string location) =>
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, location), Token);

    public static async Task<long> OffsetAsync(HttpClient client, string location)
    {
        using var response = await HeadAsync(client, location);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    public static long OffsetOf(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);

    public static string Sha256Checksum(byte[] bytes) => $"sha256 {Convert.ToBase64String(SHA256.HashData(bytes))}";

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Waits (bounded, not timed) for the server to reach a state, e.g. an offset after a disconnect.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (seconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"Gave up waiting after {seconds} s for: {what}");
            }

            await Task.Delay(50, Token);
        }
    }

    /// <summary>Polls the upload's receipt until the archive job has committed it (200).</summary>
    public static async Task<Receipt> ReceiptAsync(HttpClient client, string location, int seconds = 90)
    {
        HttpStatusCode last = 0;
        Receipt? receipt = null;
        await EventuallyAsync(
            async () =>
            {
                using var response = await client.GetAsync($"{location}/receipt", Token);
                last = response.StatusCode;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    receipt = await response.Content.ReadFromJsonAsync<Receipt>(Token);
                    return true;
                }

                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                return false;
            },
            $"the receipt of {location} (last status {last})",
            seconds);
        return receipt!;
    }

    /// <summary>
    /// Starts a PATCH on a raw socket that declares <paramref name="declaredLength"/> bytes but sends
    /// only <paramref name="sent"/>; disposing the client cuts the connection mid-body.
    /// </summary>
    public static async Task<TcpClient> StartPartialPatchAsync(Uri server, string location, string token, long offset, long declaredLength, byte[] sent, string? checksum = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, Token);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"PATCH {location} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {server.Authority}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Authorization: Bearer {token}\r\n")
            .Append("Tus-Resumable: 1.0.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"Upload-Offset: {offset}\r\n")
            .Append("Content-Type: application/offset+octet-stream\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {declaredLength}\r\n");
        if (checksum is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Upload-Checksum: {checksum}\r\n");
        }

        head.Append("\r\n");
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), Token);
        await stream.WriteAsync(sent, Token);
        await stream.FlushAsync(Token);
        return tcp;
    }
}
