using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a real service (PostgreSQL, Ceph RGW) that a test can cut:
/// while blocked, live connections are reset and new ones are accepted and reset at once — what a
/// client sees when the service or the network goes away. The service itself keeps running for
/// the other tests. Stalled, it keeps every connection open and accepts new ones but swallows every
/// byte: what a client sees of a server that hangs (Ceph RGW with a full OSD). Failing, it answers
/// every new request itself with one HTTP error status (and closes): a server that fails outright.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _accepting;
    private volatile bool _blocked;
    private volatile bool _stalled;
    private volatile string? _failure;

    public TcpRelay(Uri target)
        : this(target.Host, target.Port)
    {
    }

    public TcpRelay(string host, int port)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Block()
    {
        _blocked = true;
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }
    }

    public void Unblock() => _blocked = false;

    public void Stall() => _stalled = true;

    public void Resume() => _stalled = false;

    /// <summary>
    /// Answers every request on a new connection with <paramref name="status"/> and <paramref name="body"/>
    /// (an S3 error document, or empty) once it has read the request, then closes; null passes requests on again.
    /// </summary>
    public void Fail(int? status, string body = "")
    {
        _failure = status is null
            ? null
            : $"HTTP/1.1 {status} Failed\r\nContent-Type: application/xml\r\nContent-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Block();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_blocked)
            {
                Reset(client);
                continue;
            }

            _ = _failure is { } failure ? AnswerAsync(client, failure) : RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The relay was cut or stopped.
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    /// <summary>Reads one request (headers, then Content-Length bytes of body unless it waits for 100-continue), answers, closes.</summary>
    private async Task AnswerAsync(Socket client, string response)
    {
        _open[client] = 0;
        try
        {
            var received = new List<byte>();
            var buffer = new byte[81920];
            int headerEnd;
            while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                received.AddRange(buffer.AsSpan(0, read));
            }

            var headers = System.Text.Encoding.ASCII.GetString([.. received.Take(headerEnd)]).ToLowerInvariant();
            var length = headers.Split("\r\n").Select(h => h.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim() == "content-length")
                .Select(h => long.Parse(h[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            var bodyLeft = headers.Contains("expect: 100-continue", StringComparison.Ordinal) ? 0 : length - (received.Count - headerEnd - 4);
            while (bodyLeft > 0)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                bodyLeft -= read;
            }

            await client.SendAsync(System.Text.Encoding.UTF8.GetBytes(response), SocketFlags.None, _stop.Token);
            client.Shutdown(SocketShutdown.Send);
            await Task.Delay(100, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the relay was stopped.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
        }
    }

    private static int IndexOfHeaderEnd(List<byte> received)
    {
        for (var i = 0; i + 3 < received.Count; i++)
        {
            if (received[i] == '\r' && received[i + 1] == '\n' && received[i + 2] == '\r' && received[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                if (_stalled)
                {
                    continue; // swallowed, as by a server that reads and never answers
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side went away, or the relay was cut.
        }
    }

    /// <summary>Closes with RST (linger 0), as a dead service or a cut link looks to the client.</summary>
    private void Reset(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }
}
