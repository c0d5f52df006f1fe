using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// A webhook receiver on a loopback port (HttpListener): keeps every request it gets, headers and exact body,
/// and answers each with the status its script gives for that request's number (1, 2, …), or not at all
/// (<see cref="Silent"/>) until it is disposed.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    /// <summary>A script's answer for a request it leaves unanswered, as a receiver that hangs does.</summary>
    public const int Silent = 0;

    private readonly HttpListener _listener = new();
    private readonly Func<int, int> _script;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _count;

    public WebhookReceiver(Func<int, int> script)
    {
        _script = script;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/alerts";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public void Dispose()
    {
        // Abort ends the loop's pending GetContextAsync; the loop then sees the cancellation and returns.
        _stopping.Cancel();
        _listener.Abort();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            _received.Enqueue(new ReceivedWebhook(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body.ToArray()));
            var status = _script(Interlocked.Increment(ref _count));
            if (status == Silent)
            {
                continue; // never answered: the sender's timeout ends it, and Abort at the end closes it
            }

            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
public sealed record ReceivedWebhook(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);
