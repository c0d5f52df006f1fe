using System.Collections.Concurrent;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary>
/// The real network to the real server, watched: records each request's method, path and
/// <c>Upload-Offset</c>, and lets a test act on a request before it is sent or on its response.
/// </summary>
public sealed class Wire(Func<HttpRequestMessage, HttpResponseMessage?, Task<HttpResponseMessage?>>? intercept = null) : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<Sent> Requests { get; } = new();

    public IReadOnlyList<Sent> Patches => [.. Requests.Where(r => r.Method == HttpMethod.Patch)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long? offset = request.Headers.TryGetValues("Upload-Offset", out var values) ? long.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : null;
        Requests.Enqueue(new Sent(request.Method, request.RequestUri!, offset));
        if (intercept is not null && await intercept(request, null) is { } early)
        {
            return early;
        }

        var response = await base.SendAsync(request, cancellationToken);
        return intercept is not null && await intercept(request, response) is { } replaced ? replaced : response;
    }

    public sealed record Sent(HttpMethod Method, Uri Uri, long? Offset);
}
