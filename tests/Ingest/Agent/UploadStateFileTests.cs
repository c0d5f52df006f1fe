using Enforcement.Media.Ingest.Agent;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Docks;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary>The agent's memory of unfinished uploads, on a real folder.</summary>
public sealed class UploadStateFileTests : IDisposable
{
    private static readonly DateTimeOffset Modified = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _dock = new();
    private readonly LogCapture _logs = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private UploadStateFile State() => new(new ReceiptFiles("receipts", _logs.For<ReceiptFiles>()));

    private DockedFile File(string relative, long size) =>
        new(_dock.Path, relative, Path.Combine(_dock.Path, relative), "bay01", new FileSignature(size, Modified));

    [Fact]
    public async Task An_upload_remembered_by_one_agent_is_found_by_the_next_only_for_the_same_version_of_the_file()
    {
        var location = new Uri("http://ingest.example/api/v1/uploads/0190a1b2c3d4e5f60718293a4b5c6d7e");
        using (var before = State())
        {
            await before.RememberAsync(File("bay01/执法 clip.mp4", 1000), location, Token);
            await before.RememberAsync(File("bay01/other.mp4", 5), new Uri("http://ingest.example/api/v1/uploads/1"), Token);
        }

        using var after = State();
        Assert.Equal(location, await after.FindAsync(File("bay01/执法 clip.mp4", 1000), Token));
        Assert.Null(await after.FindAsync(File("bay01/执法 clip.mp4", 1001), Token)); // rewritten on the recorder: a new upload
        Assert.Null(await after.FindAsync(File("bay02/执法 clip.mp4", 1000), Token));

        await after.ForgetAsync(File("bay01/执法 clip.mp4", 1000), Token);
        Assert.Null(await after.FindAsync(File("bay01/执法 clip.mp4", 1000), Token));
        Assert.NotNull(await after.FindAsync(File("bay01/other.mp4", 5), Token));
        Assert.Equal([UploadStateFile.Name], Directory.GetFiles(_dock.Combine("receipts")).Select(Path.GetFileName)); // no temporary file left
    }

    [Fact]
    public async Task An_unreadable_state_file_is_an_error_never_a_silent_fresh_start()
    {
        using var state = State();
        Directory.CreateDirectory(_dock.Combine("receipts"));
        await System.IO.File.WriteAllTextAsync(state.PathIn(_dock.Path), "{ not json", Token);

        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => state.FindAsync(File("bay01/a.mp4", 1), Token));
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => state.RememberAsync(File("bay01/a.mp4", 1), new Uri("http://x/1"), Token));
        Assert.Equal("{ not json", await System.IO.File.ReadAllTextAsync(state.PathIn(_dock.Path), Token));
    }

    public void Dispose()
    {
        _logs.Dispose();
        _dock.Dispose();
    }
}
