using System.Diagnostics;
using System.Text;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary>
/// A real <c>ingest agent</c> process (the built Enforcement.Media.Ingest.dll under <c>dotnet</c>),
/// configured only by the <c>Agent__*</c> environment variables given: everything the test run
/// itself knows about PostgreSQL or the store is taken out of its environment, and it runs outside
/// the build folder, as on a station PC.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private static readonly string[] Withheld = ["ConnectionStrings__", "Store__", "Catalogue__", "EM_", "PG", "AWS_"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process) => _process = process;

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

    public bool HasExited => _process.HasExited;

    public static AgentProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Enforcement.Media.Ingest.dll");
        Assert.True(File.Exists(dll), $"The built ingest is missing at {dll}: build the solution first.");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "agent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var name in start.Environment.Keys.Where(k => Withheld.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
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
}
