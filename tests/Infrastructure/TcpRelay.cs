using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a real service (PostgreSQL, Ceph RGW) that a test can cut:
/// while blocked, live connections are reset and new ones are accepted and reset at once — what a
/// client sees when the service or the network goes away. The service itself keeps running for
/// the other tests. Stalled, it keeps every connection open and accepts new ones but swallows every
/// byte: what a client sees of a server that hangs (Ceph RGW with a full OSD).
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

            _ = RelayAsync(client);
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
