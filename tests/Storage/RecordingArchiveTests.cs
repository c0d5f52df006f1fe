using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Retention;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Tests.Storage;

/// <summary>The archive pipeline against the real catalogue, on each store implementation.</summary>
public abstract class RecordingArchiveTests(CatalogueFixture catalogue)
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract ArchiveHarness Harness { get; }

    /// <summary>
    /// Every object the store holds, locked or not, staging included. Tests of one class run one at a
    /// time and each class has its own store, so a before/after difference is exact.
    /// </summary>
    protected abstract Task<int> CountStoreContentsAsync();

    /// <summary>What a GA/T 947 station reports; verified by the archive, never trusted.</summary>
    private static string Md5Hex(byte[] content)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(content);
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Fact]
    public async Task The_same_content_delivered_twice_is_one_recording_and_one_object_with_two_sources()
    {
        var content = Bytes.Random(6 * 1024 * 1024 + 1, seed: Random.Shared.Next());

        var first = await Harness.Archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery("A0001_123456_20261122080000.mp4"), null, Token);
        var second = await Harness.Archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery("copy of it.mp4"), null, Token);

        Assert.Equal(ArchiveOutcome.Stored, first.Outcome);
        Assert.Equal(ArchiveOutcome.AlreadyHeld, second.Outcome);
        Assert.Equal(first.RecordingId, second.RecordingId);
        Assert.Equal(first.Location, second.Location);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recordings WHERE sha256 = @Hex", new { first.Sha256.Hex }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM stored_objects WHERE sha256 = @Hex", new { first.Sha256.Hex }));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM recording_sources WHERE recording_id = @RecordingId", new { first.RecordingId }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes"));
        Assert.Equal(content, await Bytes.ReadAllAsync(await Harness.Store.OpenReadAsync(first.Location, null, Token), Token));
    }

    [Fact]
    public async Task Eight_simultaneous_deliveries_of_the_same_bytes_store_them_once()
    {
        var content = Bytes.Random(300_000, seed: Random.Shared.Next());
        var before = await CountStoreContentsAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Harness.Archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery($"bay{i}.mp4"), null, Token), Token)));

        Assert.Single(results, r => r.Outcome == ArchiveOutcome.Stored);
        Assert.Single(results.Select(r => r.RecordingId).Distinct());
        Assert.Equal(8, await CountAsync("SELECT count(*) FROM recording_sources WHERE recording_id = @RecordingId", new { results[0].RecordingId }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM stored_objects WHERE sha256 = @Hex", new { results[0].Sha256.Hex }));
        Assert.Equal(before + 1, await CountStoreContentsAsync());
    }

    [Fact]
    public async Task Deliveries_are_counted_by_outcome_and_source_and_one_cut_short_by_its_caller_not_at_all()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var measured = new ScopedMeasurements(meters);
        var archive = Harness.Measured(new ArchiveMetrics(meters));
        var content = Bytes.Random(5000, seed: Random.Shared.Next());
        var other = Bytes.Random(3000, seed: Random.Shared.Next());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery("a.mp4"), null, Token);
        await archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery("b.mp4") with { Kind = SourceKind.Dock }, null, Token);
        await archive.ArchiveAsync(new MemoryStream(other), ArchiveHarness.Delivery("c.mp4", claimedSha256: new string('a', 64)), null, Token);
        await Assert.ThrowsAsync<IOException>(() => archive.ArchiveAsync(new FailingStream(4096), ArchiveHarness.Delivery("d.mp4"), null, Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => archive.ArchiveAsync(new MemoryStream(other), ArchiveHarness.Delivery("e.mp4"), null, cancelled.Token));

        const string Files = "enforcement_media.ingest.files", IngestedBytes = "enforcement_media.ingest.bytes";
        Assert.Equal(1, measured.Sum(Files, ("outcome", "stored"), ("source", "command")));
        Assert.Equal(1, measured.Sum(Files, ("outcome", "deduplicated"), ("source", "dock")));
        Assert.Equal(1, measured.Sum(Files, ("outcome", "quarantined"), ("source", "command")));
        Assert.Equal(1, measured.Sum(Files, ("outcome", "failed"), ("source", "command")));
        Assert.Equal(4, measured.Sum(Files));
        Assert.Equal(content.Length, measured.Sum(IngestedBytes, ("outcome", "stored")));
        Assert.Equal(content.Length, measured.Sum(IngestedBytes, ("outcome", "deduplicated")));
        Assert.Equal(other.Length, measured.Sum(IngestedBytes, ("outcome", "quarantined")));
        Assert.Equal(0, measured.Sum(IngestedBytes, ("outcome", "failed")));
        Assert.Equal(new HashSet<string> { "outcome", "source" }, measured.Tags);
    }

    [Fact]
    public async Task A_new_original_is_catalogued_with_its_lock_a_probe_job_and_an_audit_event()
    {
        var content = Bytes.Random(1234, seed: Random.Shared.Next());

        var stored = await Harness.Archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery("clip.mp4"), null, Token);

        var retention = await Harness.Store.GetRetentionAsync(stored.Location, Token);
        Assert.True(retention.RetainUntil >= TimeProvider.System.GetUtcNow().AddDays(179), $"locked until {retention.RetainUntil:O}");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256.Hex);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM jobs WHERE kind = 'probe' AND recording_id = @RecordingId AND state = 'queued'", new { stored.RecordingId }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_outbox WHERE action = 'recording.ingested' AND subject_id = @Id", new { Id = stored.RecordingId.ToString() }));
    }

    [Fact]
    public async Task A_hash_mismatch_is_stored_anyway_quarantined_with_the_reason()
    {
        var content = Bytes.Random(2048, seed: Random.Shared.Next());
        var wrongClaim = new string('a', 64);

        var stored = await Harness.Archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery("bad.mp4", claimedSha256: wrongClaim), null, Token);

        Assert.Equal(ArchiveOutcome.Stored, stored.Outcome);
        Assert.Contains($"reported SHA-256 {wrongClaim}", stored.QuarantineReason, StringComparison.Ordinal);
        Assert.Equal(content, await Bytes.ReadAllAsync(await Harness.Store.OpenReadAsync(stored.Location, null, Token), Token));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recordings WHERE id = @RecordingId AND quarantine_reason IS NOT NULL", new { stored.RecordingId }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recording_sources WHERE id = @SourceId AND claim_verified = false", new { stored.SourceId }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_outbox WHERE action = 'recording.quarantined' AND subject_id = @Id", new { Id = stored.RecordingId.ToString() }));
    }

    [Fact]
    public async Task A_matching_station_md5_and_sha256_are_recorded_as_verified()
    {
        var content = Bytes.Random(4096, seed: Random.Shared.Next());
        var delivery = ArchiveHarness.Delivery("ok.mp4", claimedSha256: Convert.ToHexString(SHA256.HashData(content)), claimedMd5: Md5Hex(content));

        var stored = await Harness.Archive.ArchiveAsync(new MemoryStream(content), delivery, null, Token);

        Assert.Null(stored.QuarantineReason);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recording_sources WHERE id = @SourceId AND claim_verified", new { stored.SourceId }));
    }

    [Fact]
    public async Task A_wrong_station_md5_quarantines_the_delivery()
    {
        var content = Bytes.Random(4096, seed: Random.Shared.Next());

        var stored = await Harness.Archive.ArchiveAsync(new MemoryStream(content), ArchiveHarness.Delivery("md5.mp4", claimedMd5: new string('0', 32)), null, Token);

        Assert.Contains("reported MD5", stored.QuarantineReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_interrupted_after_its_bytes_were_stored_is_catalogued_by_recovery()
    {
        var content = Bytes.Random(70_000, seed: Random.Shared.Next());
        var delivery = ArchiveHarness.Delivery("crashed-before-commit.mp4");
        var write = ObjectWrite.New(ObjectKind.Original);
        await Harness.PendingWrites.BeginAsync(write, Harness.Store.Name, delivery, "dead-process", TimeSpan.Zero, Token);
        var pending = await Harness.Store.WriteAsync(write, new MemoryStream(content), null, Token);
        await Harness.PendingWrites.MarkWrittenAsync(pending, md5: null, Token);

        var recovered = await Harness.Archive.RecoverAbandonedAsync(Token);

        Assert.True(recovered >= 1);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recordings WHERE sha256 = @Hex AND original_name = 'crashed-before-commit.mp4'", new { pending.Sha256.Hex }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes WHERE write_id = @WriteId", new { write.WriteId }));
    }

    [Fact]
    public async Task A_wrong_station_md5_still_quarantines_when_recovery_finishes_the_write()
    {
        var content = Bytes.Random(70_000, seed: Random.Shared.Next());
        var delivery = ArchiveHarness.Delivery("crashed-with-bad-md5.mp4", claimedMd5: new string('0', 32));
        var write = ObjectWrite.New(ObjectKind.Original);
        await Harness.PendingWrites.BeginAsync(write, Harness.Store.Name, delivery, "dead-process", TimeSpan.Zero, Token);
        var pending = await Harness.Store.WriteAsync(write, new MemoryStream(content), null, Token);
        await Harness.PendingWrites.MarkWrittenAsync(pending, Convert.FromHexString(Md5Hex(content)), Token);

        Assert.True(await Harness.Archive.RecoverAbandonedAsync(Token) >= 1);

        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        var reason = await connection.QuerySingleAsync<string?>("SELECT quarantine_reason FROM recordings WHERE sha256 = @Hex", new { pending.Sha256.Hex });
        Assert.Contains("reported MD5", reason, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recording_sources WHERE write_id = @WriteId AND claim_verified = false", new { write.WriteId }));
    }

    [Fact]
    public async Task A_process_that_stalled_past_its_lease_while_recovery_finished_its_write_answers_with_that_receipt_and_counts_the_delivery_once()
    {
        var content = Bytes.Random(300_000, seed: Random.Shared.Next());
        var delivery = ArchiveHarness.Delivery($"stalled-{Guid.NewGuid():N}.mp4");
        var lease = TimeSpan.FromSeconds(1);

        // The stalled process: every connection it opens once its write is 'written' waits at a gate
        // (its lease renewals too), as if its link to the catalogue had hung.
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnection) { SearchPath = catalogue.Schema, Pooling = false };
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UsePhysicalConnectionInitializer(
            _ => throw new NotSupportedException("the archive opens its connections asynchronously"),
            async connection =>
            {
                var written = await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM pending_writes WHERE state = 'written' AND delivery ->> 'originalName' = @OriginalName", new { delivery.OriginalName });
                if (written > 0)
                {
                    stalled.TrySetResult();
                    await gate.Task;
                }
            });
        await using var stalledSource = builder.Build();
        var stalledPendingWrites = new PendingWriteStore(stalledSource);
        var options = Options.Create(new EvidenceStoreOptions { PendingWriteLease = lease });
        var slow = new RecordingArchive(
            stalledSource, Harness.Store, stalledPendingWrites, new AuditTrail(stalledSource, TimeProvider.System),
            new RetentionPolicy(Options.Create(new RetentionOptions()), TimeProvider.System), TimeProvider.System, NullLogger<RecordingArchive>.Instance, options);
        var recovery = new RecordingArchive(
            catalogue.DataSource, Harness.Store, Harness.PendingWrites, new AuditTrail(catalogue.DataSource, TimeProvider.System),
            new RetentionPolicy(Options.Create(new RetentionOptions()), TimeProvider.System), TimeProvider.System, NullLogger<RecordingArchive>.Instance, options);

        var archiving = slow.ArchiveAsync(new MemoryStream(content), delivery, null, Token);
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(60), Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await recovery.RecoverAbandonedAsync(Token) == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "recovery never took over the stalled write");
            await Task.Delay(lease / 4, Token);
        }

        gate.SetResult();
        var answer = await archiving.WaitAsync(TimeSpan.FromSeconds(60), Token);

        await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
        var recordingId = await connection.QuerySingleAsync<Guid>("SELECT id FROM recordings WHERE sha256 = @Hex", new { answer.Sha256.Hex });
        Assert.Equal(recordingId, answer.RecordingId);
        Assert.Equal(ArchiveOutcome.Stored, answer.Outcome);
        var source = Assert.Single(await connection.QueryAsync<Guid>("SELECT id FROM recording_sources WHERE recording_id = @recordingId", new { recordingId }));
        Assert.Equal(source, answer.SourceId);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_outbox WHERE subject_id = @Id", new { Id = recordingId.ToString() }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes WHERE sha256 = @Hex", new { answer.Sha256.Hex }));
        await using (var stored = await Harness.Store.OpenReadAsync(answer.Location, null, Token))
        {
            Assert.Equal(content, await Bytes.ReadAllAsync(stored, Token));
        }
    }

    /// <summary>
    /// What a process killed between locking its copy and committing the catalogue leaves behind:
    /// the row (in 'sealing'), and a copy locked later than the policy would lock a new one.
    /// </summary>
    private async Task<(SealedObject Locked, ObjectWrite Write)> SealWithoutCommitAsync(byte[] content, Delivery delivery, TimeSpan lease)
    {
        var write = ObjectWrite.New(ObjectKind.Original);
        await Harness.PendingWrites.BeginAsync(write, Harness.Store.Name, delivery, "killed-process", lease, Token);
        var pending = await Harness.Store.WriteAsync(write, new MemoryStream(content), null, Token);
        await Harness.PendingWrites.MarkWrittenAsync(pending, md5: null, Token);
        await Harness.PendingWrites.MarkSealingAsync(write.WriteId, Token);
        var locked = await Harness.Store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(400)), Token);
        return (locked, write);
    }

    [Fact]
    public async Task A_copy_locked_by_a_process_killed_before_its_commit_is_adopted_by_the_redelivery_not_stored_twice()
    {
        var before = await CountStoreContentsAsync();
        var content = Bytes.Random(70_000, seed: Random.Shared.Next());
        var delivery = ArchiveHarness.Delivery("killed-while-sealing.mp4");
        var (locked, write) = await SealWithoutCommitAsync(content, delivery with { StationId = "DOCK-KILLED" }, TimeSpan.FromMinutes(5));
        Assert.Equal(before + 1, await CountStoreContentsAsync());

        // The source had no receipt, so it is delivered again while the dead write's lease still runs.
        var again = await Harness.Archive.ArchiveAsync(new MemoryStream(content), delivery with { StationId = "DOCK-AGAIN" }, null, Token);

        Assert.Equal(ArchiveOutcome.Stored, again.Outcome);
        Assert.Equal(locked.Location, again.Location);
        Assert.Equal(before + 1, await CountStoreContentsAsync());
        await using (var stored = await Harness.Store.OpenReadAsync(again.Location, null, Token))
        {
            Assert.Equal(content, await Bytes.ReadAllAsync(stored, Token));
        }

        var retention = await Harness.Store.GetRetentionAsync(again.Location, Token);
        Assert.True(retention.RetainUntil >= locked.Retention.RetainUntil, $"the adopted copy's lock was shortened to {retention.RetainUntil:O}");
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recordings WHERE sha256 = @Hex", new { again.Sha256.Hex }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes WHERE sha256 = @Hex OR write_id = @WriteId", new { again.Sha256.Hex, write.WriteId }));

        // Both deliveries are in the provenance: the dead writer's brought the very bytes kept.
        await using (var connection = await catalogue.DataSource.OpenConnectionAsync(Token))
        {
            var stations = await connection.QueryAsync<string>(
                "SELECT station_id FROM recording_sources WHERE recording_id = @RecordingId ORDER BY station_id", new { again.RecordingId });
            Assert.Equal(["DOCK-AGAIN", "DOCK-KILLED"], stations);
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM recording_sources WHERE write_id = @WriteId AND station_id = 'DOCK-KILLED'", new { write.WriteId }));
            Assert.Equal(1, await CountAsync(
                "SELECT count(*) FROM audit_outbox WHERE action = 'recording.delivered-again' AND subject_id = @Id AND details::jsonb ->> 'station' = 'DOCK-KILLED'",
                new { Id = again.RecordingId.ToString() }));
        }

        // Recovery later finds nothing left to do.
        await Harness.Archive.RecoverAbandonedAsync(Token);
        Assert.Equal(before + 1, await CountStoreContentsAsync());
    }

    [Fact]
    public async Task A_copy_locked_by_a_process_killed_before_its_commit_is_catalogued_by_recovery()
    {
        var before = await CountStoreContentsAsync();
        var content = Bytes.Random(70_000, seed: Random.Shared.Next());
        var (locked, write) = await SealWithoutCommitAsync(content, ArchiveHarness.Delivery("killed-while-sealing-alone.mp4"), TimeSpan.Zero);

        var recovered = await Harness.Archive.RecoverAbandonedAsync(Token);

        Assert.True(recovered >= 1);
        Assert.Equal(before + 1, await CountStoreContentsAsync());
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM recordings r JOIN stored_objects o ON o.id = r.original_object_id WHERE r.sha256 = @Hex AND o.object_key = @Key",
            new { locked.Sha256.Hex, locked.Location.Key }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes WHERE write_id = @WriteId", new { write.WriteId }));
    }

    /// <summary>What a media job killed between locking a derivative and cataloguing it leaves behind.</summary>
    private async Task<(SealedObject Locked, ObjectWrite Write)> DerivativeSealedWithoutCommitAsync(Guid recordingId, byte[] content)
    {
        var write = ObjectWrite.New(ObjectKind.Rendition, "video/mp4");
        var delivery = new Delivery(SourceKind.Command, "system:media", $"playback of recording {recordingId}", DerivativeOf: recordingId);
        await Harness.PendingWrites.BeginAsync(write, Harness.Store.Name, delivery, "killed-process", TimeSpan.Zero, Token);
        var pending = await Harness.Store.WriteAsync(write, new MemoryStream(content), null, Token);
        await Harness.PendingWrites.MarkWrittenAsync(pending, md5: null, Token);
        await Harness.PendingWrites.MarkSealingAsync(write.WriteId, Token);
        return (await Harness.Store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(400)), Token), write);
    }

    [Fact]
    public async Task A_derivative_locked_by_a_process_killed_before_its_commit_is_kept_with_its_recording_not_left_unknown()
    {
        var recording = await Harness.Archive.ArchiveAsync(new MemoryStream(Bytes.Random(5000, Random.Shared.Next())), ArchiveHarness.Delivery("with-a-rendition.mp4"), null, Token);
        var before = await CountStoreContentsAsync();
        var (locked, write) = await DerivativeSealedWithoutCommitAsync(recording.RecordingId, Bytes.Random(40_000, Random.Shared.Next()));

        Assert.True(await Harness.Archive.RecoverAbandonedAsync(Token) >= 1);

        Assert.Equal(before + 1, await CountStoreContentsAsync());
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM stored_objects WHERE recording_id = @RecordingId AND kind = 'rendition' AND object_key = @Key AND sha256 = @Hex",
            new { recording.RecordingId, locked.Location.Key, locked.Sha256.Hex }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM derivations WHERE recording_id = @RecordingId", new { recording.RecordingId }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM recordings WHERE sha256 = @Hex", new { locked.Sha256.Hex }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes WHERE write_id = @WriteId", new { write.WriteId }));
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM audit_outbox WHERE action = 'recording.derivative-kept' AND subject_id = @Id", new { Id = recording.RecordingId.ToString() }));
    }

    [Fact]
    public async Task Two_killed_jobs_that_locked_the_same_derivative_bytes_are_both_recovered()
    {
        // On a content-addressed store both land on one object, catalogued once; on S3 they are two.
        var recording = await Harness.Archive.ArchiveAsync(new MemoryStream(Bytes.Random(5000, Random.Shared.Next())), ArchiveHarness.Delivery("made-twice.mp4"), null, Token);
        var bytes = Bytes.Random(30_000, Random.Shared.Next());
        var (first, firstWrite) = await DerivativeSealedWithoutCommitAsync(recording.RecordingId, bytes);
        var (second, secondWrite) = await DerivativeSealedWithoutCommitAsync(recording.RecordingId, bytes);

        await Harness.Archive.RecoverAbandonedAsync(Token);

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes WHERE write_id = ANY(@ids)", new { ids = new[] { firstWrite.WriteId, secondWrite.WriteId } }));
        var expected = first.Location == second.Location ? 1 : 2;
        Assert.Equal(expected, await CountAsync("SELECT count(*) FROM stored_objects WHERE recording_id = @RecordingId AND kind = 'rendition'", new { recording.RecordingId }));
    }

    [Fact]
    public async Task A_file_resent_after_its_writer_died_while_sealing_is_one_source_not_two()
    {
        var content = Bytes.Random(70_000, seed: Random.Shared.Next());
        var delivery = ArchiveHarness.Delivery("resent-after-kill.mp4") with { StationId = "DOCK-SAME" };
        await SealWithoutCommitAsync(content, delivery, TimeSpan.FromMinutes(5));

        var again = await Harness.Archive.ArchiveAsync(new MemoryStream(content), delivery, null, Token);

        Assert.Equal(ArchiveOutcome.Stored, again.Outcome);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM recording_sources WHERE recording_id = @RecordingId", new { again.RecordingId }));
    }

    [Fact]
    public async Task A_write_interrupted_midway_is_cleaned_up_by_recovery_and_never_catalogued()
    {
        var before = await CountStoreContentsAsync();
        var write = ObjectWrite.New(ObjectKind.Original);
        await Harness.PendingWrites.BeginAsync(write, Harness.Store.Name, ArchiveHarness.Delivery("crashed-midway.mp4"), "dead-process", TimeSpan.Zero, Token);
        var leftover = await Harness.Store.WriteAsync(write, new MemoryStream(Bytes.Random(1000, seed: 5)), null, Token);
        Assert.Equal(before + 1, await CountStoreContentsAsync());

        await Harness.Archive.RecoverAbandonedAsync(Token);

        Assert.Equal(before, await CountStoreContentsAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM recordings WHERE sha256 = @Hex", new { leftover.Sha256.Hex }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM pending_writes WHERE write_id = @WriteId", new { write.WriteId }));
    }

    /// <summary>Yields <paramref name="failAfter"/> bytes, then fails like a yanked USB cable.</summary>
    private sealed class FailingStream(long failAfter) : MemoryStream(new byte[failAfter])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read == 0 ? throw new IOException("device disconnected") : read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = base.Read(buffer);
            return read == 0 ? throw new IOException("device disconnected") : read;
        }
    }
}

public sealed class FileSystemRecordingArchiveTests : RecordingArchiveTests, IClassFixture<CatalogueFixture>, IDisposable
{
    private static readonly string[] StoreFolders = ["objects", "staging"];
    private readonly TempFolder _folder = new();

    public FileSystemRecordingArchiveTests(CatalogueFixture catalogue)
        : base(catalogue)
    {
        var store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _folder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
        Harness = new ArchiveHarness(catalogue, store);
    }

    protected override ArchiveHarness Harness { get; }

    protected override Task<int> CountStoreContentsAsync() =>
        Task.FromResult(StoreFolders
            .Select(folder => _folder.Combine(folder))
            .Where(Directory.Exists)
            .Sum(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count()));

    public void Dispose() => _folder.Dispose();
}

public sealed class S3RecordingArchiveTests : RecordingArchiveTests, IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    private readonly S3BucketFixture _bucket;

    public S3RecordingArchiveTests(CatalogueFixture catalogue, S3BucketFixture bucket)
        : base(catalogue)
    {
        _bucket = bucket;
        Harness = new ArchiveHarness(catalogue, bucket.Store);
    }

    protected override ArchiveHarness Harness { get; }

    protected override async Task<int> CountStoreContentsAsync()
    {
        var versions = await _bucket.Raw.ListVersionsAsync(new Amazon.S3.Model.ListVersionsRequest { BucketName = _bucket.Options.Bucket }, Token);
        var uploads = await _bucket.Raw.ListMultipartUploadsAsync(new Amazon.S3.Model.ListMultipartUploadsRequest { BucketName = _bucket.Options.Bucket }, Token);
        Assert.False(versions.IsTruncated ?? false, "the test bucket holds more versions than one listing page");
        return (versions.Versions?.Count ?? 0) + (uploads.MultipartUploads?.Count ?? 0);
    }
}
