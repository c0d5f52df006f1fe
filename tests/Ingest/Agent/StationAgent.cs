using Enforcement.Media.Ingest.Agent;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Docks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary>
/// The station agent as <c>ingest agent</c> builds it (AgentHost), over a dock folder of its own,
/// pointed at a real ingest server, with a clock the test moves and (optionally) a network the test
/// can break. Only its settings and the given key reach it: no database, no store.
/// </summary>
public sealed class StationAgent : IDisposable
{
    public static readonly TimeSpan StableFor = TimeSpan.FromSeconds(10);

    private readonly IHost _host;

    /// <param name="root">An existing dock folder (a restarted agent); a new one when null.</param>
    /// <param name="network">Sits between the agent and the server (it must end in a real handler).</param>
    public StationAgent(Uri server, string token, SourceDeletion deletion = SourceDeletion.Never, string? root = null, HttpMessageHandler? network = null, params string[] settings)
    {
        Dock = root is null ? new TempFolder() : null;
        Root = root ?? Dock!.Path;
        string[] args =
        [
            $"--Agent:Server={server}",
            $"--Agent:Key={token}",
            $"--Agent:Roots:0={Root}",
            $"--Agent:StableFor={StableFor}",
            $"--Agent:SourceDeletion={deletion}",
            "--Agent:ChunkSizeBytes=65536",
            "--Agent:MaxAttempts=3",
            "--Agent:RetryDelay=00:00:00.050",
            "--Agent:MaxRetryDelay=00:00:00.500",
            "--Agent:ReceiptPollInterval=00:00:00.100",
            "--Serilog:MinimumLevel:Default=Warning",
            .. settings.Select(s => $"--{s}"),
        ];
        _host = AgentHost.Build(args, services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<ILoggerProvider>(Logs);
            if (network is not null)
            {
                services.AddSingleton(network);
            }
        });
        Watcher = _host.Services.GetRequiredService<DockWatcher>();
        Receipts = _host.Services.GetRequiredService<ReceiptFiles>();
    }

    public TempFolder? Dock { get; }

    public string Root { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

    public LogCapture Logs { get; } = new();

    public DockWatcher Watcher { get; }

    public ReceiptFiles Receipts { get; }

    public IServiceProvider Services => _host.Services;

    public string StateFile => _host.Services.GetRequiredService<UploadStateFile>().PathIn(Root);

    public string Put(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>One pass now (new files are only noticed), then one after the stability time (they are uploaded).</summary>
    public async Task<IReadOnlyList<DockFileOutcome>> SettleAsync(CancellationToken cancellationToken)
    {
        var first = await Watcher.ScanOnceAsync(cancellationToken);
        Time.Advance(StableFor + TimeSpan.FromSeconds(1));
        var second = await Watcher.ScanOnceAsync(cancellationToken);
        return [.. first, .. second];
    }

    /// <summary>Moves the clock past any retry delay and scans again.</summary>
    public async Task<IReadOnlyList<DockFileOutcome>> RetryAsync(CancellationToken cancellationToken)
    {
        Time.Advance(TimeSpan.FromMinutes(6));
        return await Watcher.ScanOnceAsync(cancellationToken);
    }

    public ReceiptFile? ReceiptOf(string relative) => Receipts.TryRead(Root, relative);

    public void Dispose()
    {
        _host.Dispose();
        Logs.Dispose();
        Dock?.Dispose();
    }
}
