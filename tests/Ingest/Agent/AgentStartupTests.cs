using Enforcement.Media.Ingest.Agent;
using Enforcement.Media.Storage.Startup;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary><c>ingest agent</c> refuses to start on settings it cannot work with, naming the setting.</summary>
public sealed class AgentStartupTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_server_key_or_roots_it_refuses_to_start_and_names_each_setting()
    {
        using var host = AgentHost.Build(["--Serilog:MinimumLevel:Default=Fatal"]);

        var invalid = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Contains(invalid.Failures, f => f.StartsWith("Agent:Server", StringComparison.Ordinal));
        Assert.Contains(invalid.Failures, f => f.StartsWith("Agent:Key or Agent:KeyFile", StringComparison.Ordinal));
        Assert.Contains(invalid.Failures, f => f.StartsWith("Agent:Roots", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_file_that_cannot_be_read_stops_start_up_naming_Agent_KeyFile()
    {
        using var dock = new TempFolder();
        using var host = AgentHost.Build(["--Agent:Server=http://127.0.0.1:9/", $"--Agent:KeyFile={dock.Combine("missing.key")}", $"--Agent:Roots:0={dock.Path}", "--Serilog:MinimumLevel:Default=Fatal"]);

        var error = await Assert.ThrowsAsync<StartupCheckException>(() => host.StartAsync(Token));

        Assert.Equal("Agent:KeyFile", error.Setting);
        Assert.False(Directory.Exists(Path.Combine(dock.Path, "receipts")));
    }
}
