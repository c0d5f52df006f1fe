using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>
/// A real <c>ingest run</c> process (the built Enforcement.Media.Ingest.dll under <c>dotnet</c>),
/// configured by environment variables as in production, that a test can SIGKILL.
/// </summary>
public sealed class IngestProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private IngestProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<IngestProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll");
        Assert.True(File.Exists(dll), $"The built ingest is missing at {dll}: build the solution first.");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "run", "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var ingest = new IngestProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => ingest.Append(e.Data);
        process.ErrorDataReceived += (_, e) => ingest.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ingest.WaitUntilHealthyAsync();
        return ingest;
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Tus.EventuallyAsync(
            async () =>
            {
                Assert.False(_process.HasExited, $"ingest run exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
                try
                {
                    using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
                {
                    // One slow answer (a loaded machine, recovery at start): ask again.
                    return false;
                }
            },
            "ingest run to answer /health",
            seconds: 90);
    }
}
