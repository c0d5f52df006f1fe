using System.Security.Cryptography;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Uploads;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary>
/// <c>ingest agent</c> as a station PC runs it: its own process, configured by environment
/// variables, with no database or store settings anywhere in reach, SIGKILLed mid-upload.
/// </summary>
public sealed class StationAgentProcessTests(UploadServerFixture fixture) : IClassFixture<UploadServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_agent_process_needs_no_database_or_store_settings_and_after_SIGKILL_mid_upload_resumes_the_same_upload_stored_once()
    {
        var (key, token) = await fixture.CreateKeyAsync(ApiKeyKind.Station, UniqueName.For("dock-"));
        using var station = new TempFolder();
        var keyFile = station.Combine("station.key");
        await File.WriteAllTextAsync(keyFile, token + "\n", Token);
        var root = station.Combine("dock");
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var path = Path.Combine(root, Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var content = Bytes.Random(24 * 1024 * 1024, Random.Shared.Next());
        await File.WriteAllBytesAsync(path, content, Token);
        await using var link = new TcpRelay(fixture.Server.BaseAddress);
        var settings = new Dictionary<string, string>
        {
            ["Agent__Server"] = $"http://127.0.0.1:{link.Port}/",
            ["Agent__KeyFile"] = keyFile,
            ["Agent__Roots__0"] = root,
            ["Agent__StableFor"] = "00:00:00.500",
            ["Agent__ScanInterval"] = "00:00:00.200",
            ["Agent__ChunkSizeBytes"] = "65536",
            ["Agent__RetryDelay"] = "00:00:00.100",
            ["Agent__ReceiptPollInterval"] = "00:00:00.200",
            ["Agent__SourceDeletion"] = "AfterVerified",
        };

        long killedAt;
        await using (var first = AgentProcess.Start(station.Path, settings))
        {
            await Tus.EventuallyAsync(
                async () =>
                {
                    Assert.False(first.HasExited, $"ingest agent exited:\n{first.Output}");
                    return await OffsetAsync(key) > 0;
                },
                "the agent's upload to begin",
                seconds: 90);
            link.Block(); // no more bytes land, however fast the machine: the kill is surely mid-upload
            await first.KillAsync();
            killedAt = await OffsetAsync(key);
            Assert.True(killedAt < content.Length, $"the upload finished before the kill ({killedAt} bytes): the test proves nothing\n{first.Output}");
            Assert.DoesNotContain(token, first.Output, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(path));
        Assert.True(File.Exists(Path.Combine(root, "receipts", ".agent-uploads.json")), "the upload URL was remembered before bytes were sent");

        link.Unblock();
        await using var second = AgentProcess.Start(station.Path, settings);
        await Tus.EventuallyAsync(
            () =>
            {
                Assert.False(second.HasExited, $"ingest agent exited:\n{second.Output}");
                return Task.FromResult(!File.Exists(path));
            },
            "the agent to finish, verify and release the file",
            seconds: 300);

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Contains("Resuming the upload", second.Output, StringComparison.Ordinal);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @id", new { id = key.Id }));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM recordings WHERE sha256 = @sha256", new { sha256 }));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 }));
        var receipt = await File.ReadAllTextAsync(Path.Combine(root, "receipts", Name + ".receipt.json"), Token);
        Assert.Contains(sha256, receipt, StringComparison.Ordinal);
        Assert.DoesNotContain(token, second.Output, StringComparison.Ordinal);
    }

    private Task<long> OffsetAsync(ApiKey key) =>
        fixture.ScalarAsync<long>("SELECT coalesce(max(upload_offset), 0) FROM uploads WHERE api_key_id = @id", new { id = key.Id });
}
