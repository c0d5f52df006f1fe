using System.Security.Cryptography;
using System.Text;
using Dapper;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>
/// The central dock watcher against the real catalogue and each real store: hostile inputs and
/// faults. Content is random per test, since tests of a class share one catalogue.
/// </summary>
public abstract class DockWatcherTests(CatalogueFixture catalogue) : IDisposable
{
    private readonly List<DockHarness> _harnesses = [];

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IEvidenceStore Store { get; }

    protected DockHarness Dock(SourceDeletion deletion = SourceDeletion.Never)
    {
        var harness = new DockHarness(catalogue.DataSource, Store, deletion);
        _harnesses.Add(harness);
        return harness;
    }

    public void Dispose()
    {
        foreach (var harness in _harnesses)
        {
            harness.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private static byte[] Unique(int length = 10_000) => Bytes.Random(length, Random.Shared.Next());

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: Token)) ?? throw new InvalidOperationException($"no value: {sql}");
    }

    private Task<long> SourcesOfAsync(string sha256) =>
        ScalarAsync<long>("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 });

    private Task<long> RecordingsOfAsync(string sha256) => ScalarAsync<long>("SELECT count(*) FROM recordings WHERE sha256 = @sha256", new { sha256 });

    private async Task<byte[]> StoredAsync(DockFileOutcome outcome) =>
        await Bytes.ReadAllAsync(await Store.OpenReadAsync(outcome.Archived!.Location, null, Token), Token);

    [Fact]
    public async Task Every_kind_of_file_is_stored_and_receipted_zero_bytes_truncated_mp4_photo_audio_and_non_media()
    {
        var media = await GeneratedMedia.GetAsync();
        Assert.True(GeneratedMedia.HasMoov(media.Mp4));
        Assert.False(GeneratedMedia.HasMoov(media.TruncatedMp4), "the truncated clip must really have lost its moov box");
        var dock = Dock();
        var salt = Unique(16);
        var files = new Dictionary<string, byte[]>
        {
            ["bay01/A123456_012345_20261122080000.mp4"] = [.. media.Mp4, .. salt],
            ["bay01/A123456_012345_20261122081000.mp4"] = [.. media.TruncatedMp4, .. salt],
            ["bay01/A123456_012345_20261122082000.JPG"] = [.. media.Jpeg, .. salt],
            ["bay01/A123456_012345_20261122083000.m4a"] = [.. media.AudioOnly, .. salt],
            ["bay01/notes.txt"] = [.. "not media at all"u8, .. salt],
            ["bay01/empty.mp4"] = [],
        };
        foreach (var (path, content) in files)
        {
            dock.Put(path, content);
        }

        var outcomes = await dock.SettleAsync(Token);

        Assert.Equal(files.Count, outcomes.Count);
        foreach (var (path, content) in files)
        {
            var outcome = Assert.Single(outcomes, o => o.File.RelativePath == path);
            Assert.True(outcome.Result == DockFileResult.Delivered, $"{path}: {outcome.Result} {outcome.Failure}");
            Assert.Equal(Sha256(content), outcome.Archived!.Sha256.Hex);
            Assert.Equal(content, await StoredAsync(outcome));
            var receipt = dock.ReceiptOf(path);
            Assert.NotNull(receipt);
            Assert.Equal(Sha256(content), receipt.Receipt.Sha256);
            Assert.Equal(outcome.Archived.RecordingId, receipt.Receipt.RecordingId);
            Assert.Equal(content.Length, receipt.Source.Size);
            Assert.True(File.Exists(Path.Combine(dock.Root, path)), "the default policy never deletes");
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pending_writes"));
    }

    [Fact]
    public async Task Hostile_names_are_stored_under_their_exact_names_and_not_delivered_twice()
    {
        var dock = Dock();
        var longName = "A123456_012345_20261122080000_" + new string('录', 70);
        longName += new string('x', 255 - Encoding.UTF8.GetByteCount(longName) - 4) + ".mp4";
        Assert.Equal(255, Encoding.UTF8.GetByteCount(longName));
        string[] names = ["with  two spaces .mp4", " leading space.mp4", "执法记录仪 现场 录像.mp4", "..mp4", "a..b.mp4", "...", "..hidden", "[markup] {braces} %s $HOME `x`.mp4", "new\nline.mp4", longName];
        var contents = names.ToDictionary(n => n, _ => Unique());
        foreach (var name in names)
        {
            dock.Put($"bay01/{name}", contents[name]);
        }

        var outcomes = await dock.SettleAsync(Token);

        Assert.All(outcomes, o => Assert.True(o.Result == DockFileResult.Delivered, $"{o.File.Name}: {o.Result} {o.Failure}"));
        foreach (var name in names)
        {
            var sha256 = Sha256(contents[name]);
            Assert.Equal(name, await ScalarAsync<string>("SELECT original_name FROM recordings WHERE sha256 = @sha256", new { sha256 }));
            Assert.Equal(Path.Combine(dock.Root, "bay01", name), await ScalarAsync<string>("SELECT s.original_path FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 }));
            Assert.Equal(sha256, dock.ReceiptOf($"bay01/{name}")?.Receipt.Sha256);
        }

        Assert.Empty(await dock.SettleAsync(Token));
        Assert.Empty(await dock.RetryAsync(Token));
        foreach (var name in names)
        {
            Assert.Equal(1L, await SourcesOfAsync(Sha256(contents[name])));
        }
    }

    [Fact]
    public async Task The_same_content_under_two_names_is_one_recording_with_two_sources()
    {
        var dock = Dock();
        var content = Unique();
        dock.Put("bay01/A123456_012345_20261122080000.mp4", content);
        dock.Put("bay01/copy of it.mp4", content);

        var outcomes = await dock.SettleAsync(Token);

        Assert.Equal(2, outcomes.Count);
        Assert.Single(outcomes.Select(o => o.Archived!.RecordingId).Distinct());
        Assert.Contains(outcomes, o => o.Archived!.Outcome == ArchiveOutcome.Stored);
        Assert.Contains(outcomes, o => o.Archived!.Outcome == ArchiveOutcome.AlreadyHeld);
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(content)));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM stored_objects WHERE sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.Equal(2L, await SourcesOfAsync(Sha256(content)));
        Assert.Equal("already-held", dock.ReceiptOf(outcomes.Single(o => o.Archived!.Outcome == ArchiveOutcome.AlreadyHeld).File.RelativePath)!.Receipt.Outcome);
    }

    [Fact]
    public async Task Two_recorders_with_a_file_of_the_same_name_give_two_recordings_each_with_its_own_receipt()
    {
        var dock = Dock();
        const string Name = "DCIM/100MEDIA/A123456_012345_20261122080000.mp4";
        var first = Unique();
        var second = Unique();
        dock.Put($"bay01/{Name}", first);
        dock.Put($"bay02/{Name}", second);

        var outcomes = await dock.SettleAsync(Token);

        Assert.Equal(2, outcomes.Select(o => o.Archived!.RecordingId).Distinct().Count());
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(first)));
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(second)));
        Assert.Equal("station:bay01", await ScalarAsync<string>("SELECT a.actor FROM audit_outbox a JOIN recordings r ON a.subject_id = r.id::text WHERE r.sha256 = @sha256", new { sha256 = Sha256(first) }));
        Assert.Equal("station:bay02", await ScalarAsync<string>("SELECT a.actor FROM audit_outbox a JOIN recordings r ON a.subject_id = r.id::text WHERE r.sha256 = @sha256", new { sha256 = Sha256(second) }));
        Assert.Equal(Sha256(first), dock.ReceiptOf($"bay01/{Name}")!.Receipt.Sha256);
        Assert.Equal(Sha256(second), dock.ReceiptOf($"bay02/{Name}")!.Receipt.Sha256);
    }

    [Fact]
    public async Task Recorder_clocks_in_1970_and_in_the_future_are_kept_as_given_and_the_lock_still_runs_from_today()
    {
        var dock = Dock();
        var old = Unique();
        var future = Unique();
        dock.Put("bay01/A123456_012345_19700101000000.mp4", old);
        dock.Put("bay01/A123456_012345_20991231235959_IMP.mp4", future);

        await dock.SettleAsync(Token);

        Assert.Equal(new DateTime(1969, 12, 31, 16, 0, 0, DateTimeKind.Utc), await ScalarAsync<DateTime>("SELECT recorder_started_at FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(old) }));
        Assert.Equal(new DateTime(2099, 12, 31, 15, 59, 59, DateTimeKind.Utc), await ScalarAsync<DateTime>("SELECT recorder_started_at FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(future) }));
        Assert.True(await ScalarAsync<bool>("SELECT important FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(future) }));
        var oldRetainUntil = await ScalarAsync<DateTime>("SELECT retain_until FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(old) });
        Assert.True(oldRetainUntil > TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(179), $"a 1970 clock must not make footage disposable: locked until {oldRetainUntil:O}");
    }

    [Fact]
    public async Task A_station_hash_mismatch_is_stored_quarantined_receipted_as_such_and_its_source_never_deleted()
    {
        var dock = Dock(SourceDeletion.AfterVerified);
        var content = Unique();
        const string Name = "bay01/A123456_012345_20261122080000.mp4";
        var path = dock.Put(Name, content);
        await File.WriteAllTextAsync(path + ".json", $$"""{ "sha256": "{{new string('0', 64)}}", "caseCode": "case-7" }""", Token);

        var outcome = Assert.Single(await dock.SettleAsync(Token));

        Assert.Contains("reported SHA-256 " + new string('0', 64), outcome.Archived!.QuarantineReason, StringComparison.Ordinal);
        Assert.Equal(content, await StoredAsync(outcome));
        Assert.Contains("quarantined", outcome.Release!.Reason, StringComparison.Ordinal);
        Assert.False(outcome.Release.Deleted);
        var receipt = dock.ReceiptOf(Name)!;
        Assert.Contains("reported SHA-256", receipt.Receipt.QuarantineReason, StringComparison.Ordinal);
        Assert.NotNull(await ScalarAsync<string>("SELECT quarantine_reason FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.False(await ScalarAsync<bool>("SELECT claim_verified FROM recording_sources WHERE id = @id", new { id = outcome.Archived.SourceId }));
        Assert.Contains(dock.Logs.Events, e => e.Level == LogLevel.Error && Equals(e.Properties.GetValueOrDefault("SourcePath"), path) && e.Properties.ContainsKey("QuarantineReason"));

        for (var i = 0; i < 3; i++)
        {
            await dock.RetryAsync(Token);
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
        Assert.Equal(1L, await SourcesOfAsync(Sha256(content)));
    }

    [Fact]
    public async Task A_malformed_sidecar_is_logged_audited_and_noted_in_the_receipt_and_the_file_is_ingested_from_its_name()
    {
        var dock = Dock();
        var content = Unique();
        const string Name = "bay03/A123456_012345_20261122080000_IMP.mp4";
        var path = dock.Put(Name, content);
        await File.WriteAllTextAsync(path + ".json", """{ "officerId": "654321", "important": "very", """, Token);

        var outcome = Assert.Single(await dock.SettleAsync(Token));

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.Equal("012345", await ScalarAsync<string>("SELECT officer_id FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.True(await ScalarAsync<bool>("SELECT important FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(content) }));
        var note = Assert.Single(dock.ReceiptOf(Name)!.Notes);
        Assert.Contains("not valid JSON", note, StringComparison.Ordinal);
        Assert.Contains(dock.Logs.Events, e => e.Level == LogLevel.Warning && Equals(e.Properties.GetValueOrDefault("SourcePath"), path) && $"{e.Properties.GetValueOrDefault("Problem")}".Contains("not valid JSON", StringComparison.Ordinal));
        var audited = await ScalarAsync<string>("SELECT details FROM audit_outbox WHERE action = 'source.sidecar-rejected' AND subject_id = @path", new { path });
        Assert.Contains("not valid JSON", audited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_still_being_copied_is_archived_only_once_complete()
    {
        var dock = Dock();
        var content = Unique(3_000_000);
        var path = dock.Put("bay01/A123456_012345_20261122080000.mp4", content[..1_000_000]);

        Assert.Empty(await dock.Watcher.ScanOnceAsync(Token));
        for (var written = 1_000_000; written < content.Length; written += 1_000_000)
        {
            dock.Time.Advance(TimeSpan.FromSeconds(1));
            await using (var file = new FileStream(path, FileMode.Append))
            {
                await file.WriteAsync(content.AsMemory(written, 1_000_000), Token);
            }

            Assert.Empty(await dock.Watcher.ScanOnceAsync(Token));

            // The copy pauses for less than the stability time: still not taken.
            dock.Time.Advance(DockHarness.StableFor - TimeSpan.FromSeconds(1));
            Assert.Empty(await dock.Watcher.ScanOnceAsync(Token));
        }

        dock.Time.Advance(TimeSpan.FromSeconds(1));
        var outcome = Assert.Single(await dock.Watcher.ScanOnceAsync(Token));

        Assert.Equal(Sha256(content), outcome.Archived!.Sha256.Hex);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE original_path = @path", new { path }));
    }

    [Fact]
    public async Task Under_the_default_policy_no_source_is_ever_deleted()
    {
        var dock = Dock();
        var contents = Enumerable.Range(0, 5).ToDictionary(i => $"bay0{i}/A123456_012345_2026112208000{i}.mp4", _ => Unique());
        foreach (var (path, content) in contents)
        {
            dock.Put(path, content);
        }

        var outcomes = await dock.SettleAsync(Token);
        await dock.RetryAsync(Token);
        await dock.RetryAsync(Token);

        Assert.Equal(5, outcomes.Count);
        Assert.All(outcomes, o => Assert.False(o.Release!.Deleted));
        Assert.All(outcomes, o => Assert.Equal("the source deletion policy is Never", o.Release!.Reason));
        foreach (var (path, content) in contents)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(dock.Root, path), Token));
            Assert.Equal(1L, await SourcesOfAsync(Sha256(content)));
        }
    }

    [Fact]
    public async Task Under_AfterVerified_a_source_is_deleted_once_receipted_committed_and_read_back_and_its_receipt_stays()
    {
        var dock = Dock(SourceDeletion.AfterVerified);
        var content = Unique(7_000_000);
        var verified = Unique();
        const string Name = "bay01/A123456_012345_20261122080000.mp4";
        const string Claimed = "bay01/A123456_012345_20261122090000.mp4";
        var path = dock.Put(Name, content);
        var claimedPath = dock.Put(Claimed, verified);
        await File.WriteAllTextAsync(claimedPath + ".json", $$"""{ "sha256": "{{Sha256(verified).ToUpperInvariant()}}" }""", Token);

        var outcomes = await dock.SettleAsync(Token);

        Assert.All(outcomes, o => Assert.True(o.Release!.Deleted, o.Release.Reason));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(claimedPath));
        Assert.Equal(Sha256(content), dock.ReceiptOf(Name)!.Receipt.Sha256);
        Assert.Equal(content, await StoredAsync(outcomes.Single(o => o.File.RelativePath == Name)));
        Assert.True(await ScalarAsync<bool>("SELECT claim_verified FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 = Sha256(verified) }));
        Assert.Contains(dock.Logs.Events, e => e.Message.StartsWith("Deleted source", StringComparison.Ordinal) && Equals(e.Properties.GetValueOrDefault("SourcePath"), path));

        // The station's sidecar stays behind and is not taken for footage.
        Assert.True(File.Exists(claimedPath + ".json"));
        Assert.Empty(await dock.RetryAsync(Token));
    }
}

public sealed class FileSystemDockWatcherTests(CatalogueFixture catalogue) : DockWatcherTests(catalogue), IClassFixture<CatalogueFixture>
{
    private readonly TempFolder _store = new();

    protected override IEvidenceStore Store => field ??= new FileSystemEvidenceStore(
        Options.Create(new FileSystemStoreOptions { Root = _store.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
}

public sealed class S3DockWatcherTests(CatalogueFixture catalogue, S3BucketFixture bucket) : DockWatcherTests(catalogue), IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    protected override IEvidenceStore Store => bucket.Store;
}
