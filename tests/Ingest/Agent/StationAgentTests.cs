using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Enforcement.Media.Ingest.Agent;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Docks;
using Enforcement.Media.Tests.Ingest.Uploads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Tests.Ingest.Agent;

/// <summary>
/// The station agent: docked files uploaded through the field-upload API with the
/// station's key, against the real ingest server (real PostgreSQL, filesystem store, job worker).
/// Content is random per test, since the tests of this class share one catalogue.
/// </summary>
public sealed class StationAgentTests(UploadServerFixture fixture) : IClassFixture<UploadServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] Unique(int length = 200_000) => Bytes.Random(length, Random.Shared.Next());

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<(ApiKey Key, string Token)> StationKeyAsync() => await fixture.CreateKeyAsync(ApiKeyKind.Station, UniqueName.For("dock-"));

    private Task<long> RecordingsOfAsync(string sha256) => fixture.ScalarAsync<long>("SELECT count(*) FROM recordings WHERE sha256 = @sha256", new { sha256 });

    private Task<long> SourcesOfAsync(string sha256) =>
        fixture.ScalarAsync<long>("SELECT count(*) FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 });

    private Task<long> UploadsByAsync(ApiKey key) => fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @id", new { id = key.Id });

    [Fact]
    public async Task Two_docked_recorders_are_uploaded_catalogued_with_the_right_sha256_receipted_and_deleted_only_after_their_receipt()
    {
        var (key, token) = await StationKeyAsync();
        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified);
        var media = await GeneratedMedia.GetAsync();
        var photo = Unique(50_000);
        var audio = Unique(80_000);
        var files = new Dictionary<string, byte[]>
        {
            ["bay01/A123456_654321_20261122080000.mp4"] = [.. media.Mp4, .. Unique(16)], // unique per run, still an MP4 up front
            ["bay01/A123456_654321_20261122081500_IMP.jpg"] = photo,
            ["bay02/B777777_112233_20261122090000.m4a"] = audio,
        };
        foreach (var (relative, content) in files)
        {
            agent.Put(relative, content);
        }

        var sidecar = Path.Combine(agent.Root, "bay02/B777777_112233_20261122090000.m4a.json");
        await File.WriteAllTextAsync(sidecar, $$"""{ "sha256": "{{Sha256(audio)}}", "officerId": "998877", "caseCode": "CASE-2026-0042" }""", Token);

        var outcomes = await agent.SettleAsync(Token);

        Assert.Equal(3, outcomes.Count(o => o.Result == DockFileResult.Delivered));
        foreach (var (relative, content) in files)
        {
            var sha256 = Sha256(content);
            Assert.Equal(1L, await RecordingsOfAsync(sha256));
            var written = agent.ReceiptOf(relative);
            Assert.NotNull(written);
            Assert.Equal(sha256, written.Receipt.Sha256);
            Assert.Equal(content.Length, written.Receipt.Size);
            Assert.Null(written.Receipt.QuarantineReason);
            Assert.False(File.Exists(Path.Combine(agent.Root, relative)), $"{relative} should be deleted after its verified receipt");

            // The receipt came first: its upload is logged before the deletion, and the receipt outlives the source.
            var events = agent.Logs.Events.Where(e => Equals(e.Properties.GetValueOrDefault("SourcePath"), Path.Combine(agent.Root, relative))).Select(e => e.Message).ToList();
            var uploaded = events.FindIndex(m => m.StartsWith("Uploaded ", StringComparison.Ordinal));
            var deleted = events.FindIndex(m => m.StartsWith("Deleted source ", StringComparison.Ordinal));
            Assert.True(uploaded >= 0 && deleted > uploaded, string.Join('\n', events));
        }

        // Attributed to the station's key (the audit actor comes from the server); the name and sidecar became catalogue fields.
        Assert.Equal(3L, await fixture.ScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE api_key_id = @id", new { id = key.Id }));
        var actors = await fixture.QueryAsync<string>("SELECT e.actor FROM (SELECT actor, subject_id FROM audit_outbox UNION ALL SELECT actor, subject_id FROM audit_events) AS e JOIN recordings r ON e.subject_id = r.id::text WHERE r.sha256 = @sha256", new { sha256 = Sha256(audio) });
        Assert.Contains($"key:{key.Name}", actors);
        Assert.Equal("998877", await fixture.ScalarAsync<string>("SELECT officer_id FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(audio) }));
        Assert.Equal("B777777", await fixture.ScalarAsync<string>("SELECT device_serial FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(audio) }));
        Assert.True(await fixture.ScalarAsync<bool>("SELECT important FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(photo) }));
        Assert.Equal("A123456_654321_20261122081500_IMP.jpg", await fixture.ScalarAsync<string>("SELECT original_name FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(photo) }));
        Assert.True(await fixture.ScalarAsync<bool>("SELECT claim_verified FROM recording_sources s JOIN recordings r ON r.id = s.recording_id WHERE r.sha256 = @sha256", new { sha256 = Sha256(audio) }));

        // The sidecar is the station's, not the recorder's footage: kept. Nothing left half-done.
        Assert.True(File.Exists(sidecar));
        Assert.Empty(await fixture.QueryAsync<Guid>("SELECT id FROM uploads WHERE api_key_id = @id AND archived_at IS NULL", new { id = key.Id }));

        // The agent never built a catalogue connection or an evidence store: it has none to build.
        Assert.Null(agent.Services.GetService<NpgsqlDataSource>());
        Assert.Null(agent.Services.GetService<IEvidenceStore>());
    }

    [Fact]
    public async Task With_the_default_policy_sources_are_kept_and_a_receipted_file_is_not_uploaded_again()
    {
        var (key, token) = await StationKeyAsync();
        using var agent = new StationAgent(fixture.Server.BaseAddress, token);
        var content = Unique();
        var path = agent.Put("bay01/A123456_654321_20261122080000.mp4", content);

        Assert.Equal(DockFileResult.Delivered, Assert.Single(await agent.SettleAsync(Token)).Result);
        await agent.RetryAsync(Token);
        await agent.RetryAsync(Token);

        Assert.True(File.Exists(path));
        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
        Assert.Equal(Sha256(content), agent.ReceiptOf("bay01/A123456_654321_20261122080000.mp4")!.Receipt.Sha256);
        Assert.Equal(1L, await UploadsByAsync(key));
    }

    [Fact]
    public async Task The_server_unreachable_mid_upload_is_retried_resuming_the_same_upload_and_nothing_is_lost_or_deleted_meanwhile()
    {
        var (key, token) = await StationKeyAsync();
        await using var relay = new TcpRelay(fixture.Server.BaseAddress);
        var cutAfterPatches = 3;
        var wire = new Wire((request, response) =>
        {
            if (response is not null && request.Method == HttpMethod.Patch && Interlocked.Decrement(ref cutAfterPatches) == 0)
            {
                relay.Block(); // the link goes down after the third chunk landed
            }

            return Task.FromResult<HttpResponseMessage?>(null);
        });
        using var agent = new StationAgent(new Uri($"http://127.0.0.1:{relay.Port}/"), token, SourceDeletion.AfterVerified, network: wire);
        var content = Unique(1_000_000);
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var path = agent.Put(Name, content);

        var failed = Assert.Single(await agent.SettleAsync(Token));
        Assert.Equal(DockFileResult.Failed, failed.Result);
        Assert.True(File.Exists(path));
        Assert.Null(agent.ReceiptOf(Name));
        Assert.True(File.Exists(agent.StateFile), "the upload's URL is remembered while the server is away");
        var cutAt = wire.Patches.Max(p => p.Offset);

        // Still down: tried again, still nothing lost or deleted.
        Assert.Equal(DockFileResult.Failed, Assert.Single(await agent.RetryAsync(Token)).Result);
        Assert.True(File.Exists(path));

        relay.Unblock();
        var delivered = Assert.Single(await agent.RetryAsync(Token));

        Assert.Equal(DockFileResult.Delivered, delivered.Result);
        Assert.True(delivered.Release!.Deleted);
        Assert.Equal(Sha256(content), agent.ReceiptOf(Name)!.Receipt.Sha256);
        Assert.Equal(1L, await UploadsByAsync(key)); // one upload, resumed, never begun again
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(content)));
        Assert.Single(wire.Requests, r => r.Method == HttpMethod.Post);
        Assert.Single(wire.Patches, p => p.Offset == 0); // the bytes before the cut were not sent again
        Assert.True(cutAt > 0);
        Assert.Contains(agent.Logs.Events, e => e.Message.StartsWith("Resuming the upload of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agent_stopped_mid_upload_and_started_again_resumes_the_same_upload_from_the_servers_offset_and_it_is_stored_once()
    {
        var (key, token) = await StationKeyAsync();
        using var dock = new TempFolder();
        var content = Unique(2_000_000);
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var patches = 0;
        var firstWire = new Wire(async (request, response) =>
        {
            if (response is not null && request.Method == HttpMethod.Patch && Interlocked.Increment(ref patches) == 5)
            {
                await stop.CancelAsync(); // the agent is stopped (or the station PC loses power) mid-upload
            }

            return null;
        });
        using (var first = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified, root: dock.Path, network: firstWire))
        {
            first.Put(Name, content);
            await first.Watcher.ScanOnceAsync(Token);
            first.Time.Advance(StationAgent.StableFor + TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Watcher.ScanOnceAsync(stop.Token));
            Assert.Null(first.ReceiptOf(Name));
        }

        var secondWire = new Wire();
        using var second = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified, root: dock.Path, network: secondWire);
        var outcome = Assert.Single(await second.SettleAsync(Token));

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.True(outcome.Release!.Deleted);
        Assert.DoesNotContain(secondWire.Requests, r => r.Method == HttpMethod.Post); // no new upload was created
        Assert.True(secondWire.Patches[0].Offset >= 4 * 65536, $"resumed at {secondWire.Patches[0].Offset}");
        Assert.Equal(1L, await UploadsByAsync(key));
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(content)));
        Assert.Equal(1L, await SourcesOfAsync(Sha256(content)));
        Assert.Equal(Sha256(content), second.ReceiptOf(Name)!.Receipt.Sha256);
    }

    [Theory]
    [InlineData(ApiKeyKind.Station, true, "refused the station key (401): it is wrong or has been revoked")]
    [InlineData(ApiKeyKind.CaseSystem, false, "refused the station key (403): it is not a station key")]
    public async Task A_revoked_or_forbidden_key_gets_a_clear_error_at_once_and_nothing_is_uploaded_receipted_or_deleted(ApiKeyKind kind, bool revoked, string why)
    {
        var (key, token) = await fixture.CreateKeyAsync(kind, kind == ApiKeyKind.Station ? UniqueName.For("dock-") : null);
        if (revoked)
        {
            await fixture.Keys.RevokeAsync(key.Id.ToString(), "user:test", Token);
        }

        var wire = new Wire();
        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified, network: wire);
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var path = agent.Put(Name, Unique());

        var outcome = Assert.Single(await agent.SettleAsync(Token));

        Assert.Equal(DockFileResult.Failed, outcome.Result);
        Assert.Contains(why, outcome.Failure, StringComparison.Ordinal);
        Assert.Contains(agent.Logs.Events, e => e.Level == LogLevel.Error && e.Exception is StationKeyRefusedException);
        Assert.Equal(HttpMethod.Post, Assert.Single(wire.Requests).Method); // refused once, never asked again
        Assert.True(File.Exists(path));
        Assert.Null(agent.ReceiptOf(Name));
        Assert.Equal(0L, await UploadsByAsync(key));
    }

    [Fact]
    public async Task A_server_answering_503_with_retry_after_is_waited_for_as_asked_and_the_file_is_still_delivered_once()
    {
        var (key, token) = await StationKeyAsync();
        var busySince = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var askedAgainAfter = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
        var wire = new Wire((request, response) =>
        {
            if (response is not null || Step(request) is not { } step)
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            if (!busySince.TryAdd(step, Stopwatch.GetTimestamp()))
            {
                askedAgainAfter.TryAdd(step, Stopwatch.GetElapsedTime(busySince[step]));
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            // The first time each step is asked, the server is busy and says when to come back.
            var busy = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, Content = new StringContent("busy (injected)") };
            busy.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return Task.FromResult<HttpResponseMessage?>(busy);
        });

        // The waits are capped by MaxRetryDelay: above the server's second here, far above the backoff's 50 ms.
        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified, null, wire, "Agent:MaxRetryDelay=00:00:05");
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var content = Unique(300_000);
        agent.Put(Name, content);

        var outcome = Assert.Single(await agent.SettleAsync(Token));

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.True(outcome.Release!.Deleted, outcome.Release.Reason);
        Assert.Equal(Sha256(content), agent.ReceiptOf(Name)!.Receipt.Sha256);
        Assert.Equal(["create", "patch", "receipt"], askedAgainAfter.Keys.Order(StringComparer.Ordinal));
        Assert.All(askedAgainAfter, wait => Assert.True(wait.Value >= TimeSpan.FromSeconds(0.9), $"{wait.Key} was asked again after {wait.Value}"));
        Assert.Equal(1L, await UploadsByAsync(key)); // the busy answer created nothing
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(content)));

        // The refused chunk was not replayed blindly: the server was asked for its offset first.
        var sent = wire.Requests.ToList();
        var refused = sent.FindIndex(r => r.Method == HttpMethod.Patch && r.Offset == 65536);
        var resent = sent.FindLastIndex(r => r.Method == HttpMethod.Patch && r.Offset == 65536);
        Assert.True(refused < resent, "the refused chunk was sent again");
        Assert.Contains(sent[refused..resent], r => r.Method == HttpMethod.Head);

        static string? Step(HttpRequestMessage request) => request.Method.Method switch
        {
            "POST" => "create",
            "PATCH" when request.Headers.TryGetValues("Upload-Offset", out var offset) && offset.Single() == "65536" => "patch",
            "GET" when request.RequestUri!.AbsolutePath.StartsWith("/api/v1/receipts/", StringComparison.Ordinal) => "receipt",
            _ => null,
        };
    }

    [Fact]
    public async Task A_server_receipt_whose_sha256_differs_from_what_the_agent_read_is_refused_and_nothing_is_receipted_or_deleted()
    {
        var (_, token) = await StationKeyAsync();
        var forged = new string('a', 64);
        var wire = new Wire(async (request, response) =>
        {
            if (response is null || !request.RequestUri!.AbsolutePath.StartsWith("/api/v1/receipts/", StringComparison.Ordinal))
            {
                return null;
            }

            // The catalogue's receipt, altered on the way: as if the server held other bytes under this name.
            var receipt = JsonSerializer.Deserialize<Dictionary<string, object?>>(await response.Content.ReadAsStringAsync(Token))!;
            receipt["sha256"] = forged;
            response.Dispose();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(receipt), Encoding.UTF8, "application/json") };
        });
        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified, network: wire);
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var content = Unique();
        var path = agent.Put(Name, content);

        var outcome = Assert.Single(await agent.SettleAsync(Token));
        var again = Assert.Single(await agent.RetryAsync(Token));

        Assert.Equal(DockFileResult.Failed, outcome.Result);
        Assert.Equal(DockFileResult.Failed, again.Result);
        Assert.Contains($"names SHA-256 {forged}", outcome.Failure, StringComparison.Ordinal);
        Assert.Contains($"the agent read {Sha256(content)}", outcome.Failure, StringComparison.Ordinal);
        Assert.Contains(agent.Logs.Events, e => e.Level == LogLevel.Critical && Equals(e.Properties.GetValueOrDefault("SourcePath"), path));
        Assert.True(File.Exists(path));
        Assert.Null(agent.ReceiptOf(Name));
    }

    [Fact]
    public async Task A_file_still_being_written_is_not_picked_up_until_it_stops_changing()
    {
        var (key, token) = await StationKeyAsync();
        using var agent = new StationAgent(fixture.Server.BaseAddress, token);
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var content = Unique(300_000);
        var path = agent.Put(Name, content[..100_000]);

        Assert.Empty(await agent.Watcher.ScanOnceAsync(Token));
        for (var written = 100_000; written < content.Length; written += 100_000)
        {
            agent.Time.Advance(StationAgent.StableFor - TimeSpan.FromSeconds(1));
            await using (var file = new FileStream(path, FileMode.Append))
            {
                await file.WriteAsync(content.AsMemory(written, 100_000), Token);
            }

            File.SetLastWriteTimeUtc(path, agent.Time.GetUtcNow().UtcDateTime); // a copy in progress moves the mtime
            Assert.Empty(await agent.Watcher.ScanOnceAsync(Token));
        }

        Assert.Equal(0L, await UploadsByAsync(key));
        agent.Time.Advance(StationAgent.StableFor + TimeSpan.FromSeconds(1));
        var outcome = Assert.Single(await agent.Watcher.ScanOnceAsync(Token));

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.Equal(Sha256(content), outcome.Receipt!.Sha256);
        Assert.Equal(1L, await UploadsByAsync(key));
    }

    [Fact]
    public async Task Zero_byte_files_and_names_with_spaces_and_unicode_are_uploaded_and_receipted_under_their_own_names()
    {
        var (_, token) = await StationKeyAsync();
        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified);
        var content = Unique();
        const string Empty = "bay01/空 文件 0.mp4";
        const string Unicode = "bay01/执法记录仪 clip (1) é.mp4";
        agent.Put(Empty, []);
        agent.Put(Unicode, content);

        var outcomes = await agent.SettleAsync(Token);

        Assert.All(outcomes, o => Assert.Equal(DockFileResult.Delivered, o.Result));
        Assert.Equal(2, outcomes.Count);
        Assert.Equal(Sha256([]), agent.ReceiptOf(Empty)!.Receipt.Sha256);
        Assert.Equal(0, agent.ReceiptOf(Empty)!.Receipt.Size);
        Assert.Equal(Sha256(content), agent.ReceiptOf(Unicode)!.Receipt.Sha256);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE original_name = @name", new { name = "执法记录仪 clip (1) é.mp4" }));
        Assert.False(File.Exists(Path.Combine(agent.Root, Unicode)));
        Assert.False(File.Exists(Path.Combine(agent.Root, Empty)));
    }

    [Fact]
    public async Task The_same_content_under_two_names_is_one_recording_with_two_sources_and_both_are_receipted()
    {
        var (_, token) = await StationKeyAsync();
        using var agent = new StationAgent(fixture.Server.BaseAddress, token);
        var content = Unique();
        agent.Put("bay01/A123456_654321_20261122080000.mp4", content);
        agent.Put("bay02/copy of the same.mp4", content);

        var outcomes = await agent.SettleAsync(Token);

        Assert.Equal(2, outcomes.Count(o => o.Result == DockFileResult.Delivered));
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(content)));
        Assert.Equal(2L, await SourcesOfAsync(Sha256(content)));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM stored_objects WHERE sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.Equal(agent.ReceiptOf("bay01/A123456_654321_20261122080000.mp4")!.Receipt.RecordingId, agent.ReceiptOf("bay02/copy of the same.mp4")!.Receipt.RecordingId);
    }

    [Fact]
    public async Task A_station_hash_that_does_not_match_is_uploaded_quarantined_reported_and_the_source_is_kept()
    {
        var (_, token) = await StationKeyAsync();
        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified);
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var content = Unique();
        var path = agent.Put(Name, content);
        await File.WriteAllTextAsync(path + ".json", $$"""{ "sha256": "{{Sha256(Unique(10))}}" }""", Token);

        var outcome = Assert.Single(await agent.SettleAsync(Token));
        await agent.RetryAsync(Token);

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.False(outcome.Release!.Deleted);
        var written = agent.ReceiptOf(Name)!;
        Assert.Equal(Sha256(content), written.Receipt.Sha256);
        Assert.NotNull(written.Receipt.QuarantineReason);
        Assert.NotNull(await fixture.ScalarAsync<string>("SELECT quarantine_reason FROM recordings WHERE sha256 = @sha256", new { sha256 = Sha256(content) }));
        Assert.Contains(agent.Logs.Events, e => e.Level == LogLevel.Error && e.Message.Contains("QUARANTINED", StringComparison.Ordinal) && Equals(e.Properties.GetValueOrDefault("SourcePath"), path));
        Assert.True(File.Exists(path));
        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
    }

    [Fact]
    public async Task A_source_is_kept_when_at_release_the_servers_receipt_no_longer_names_what_was_receipted()
    {
        var (_, token) = await StationKeyAsync();
        var releasing = false;
        var wire = new Wire(async (request, response) =>
        {
            if (!releasing || response is null || !request.RequestUri!.AbsolutePath.StartsWith("/api/v1/receipts/", StringComparison.Ordinal))
            {
                return null;
            }

            // By the time the agent would delete, the server names another recording for the content.
            var receipt = JsonSerializer.Deserialize<Dictionary<string, object?>>(await response.Content.ReadAsStringAsync(Token))!;
            receipt["recordingId"] = Guid.NewGuid();
            response.Dispose();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(receipt), Encoding.UTF8, "application/json") };
        });
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var content = Unique();
        using var dock = new TempFolder();
        string path;
        using (var delivering = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.Never, root: dock.Path, network: wire))
        {
            path = delivering.Put(Name, content);
            Assert.Equal(DockFileResult.Delivered, Assert.Single(await delivering.SettleAsync(Token)).Result);
        }

        // The same dock, now with after-verified: the receipted file is only released, and the server's word is asked again.
        releasing = true;
        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified, root: dock.Path, network: wire);
        var outcome = Assert.Single(await agent.SettleAsync(Token));

        Assert.Equal(DockFileResult.AlreadyDelivered, outcome.Result);
        Assert.False(outcome.Release!.Deleted);
        Assert.Contains("is not the one written here", outcome.Release.Reason, StringComparison.Ordinal);
        Assert.Contains(agent.Logs.Events, e => e.Level == LogLevel.Critical && Equals(e.Properties.GetValueOrDefault("SourcePath"), path));
        Assert.True(File.Exists(path));
        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
    }

    [Fact]
    public async Task A_receipt_that_named_the_stores_folder_before_receipts_named_stores_publicly_still_releases_its_source()
    {
        var (_, token) = await StationKeyAsync();
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        using var dock = new TempFolder();
        string path;
        using (var delivering = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.Never, root: dock.Path))
        {
            path = delivering.Put(Name, Unique());
            Assert.Equal(DockFileResult.Delivered, Assert.Single(await delivering.SettleAsync(Token)).Result);
            var written = delivering.ReceiptOf(Name)!;
            Assert.Equal(PublicStoreName.FileSystem, written.Receipt.Store);

            // What a server wrote before: the filesystem store's name, its folder on the server's disk.
            var folderName = new Uri(Path.GetFullPath(fixture.EvidenceRoot) + "/").AbsoluteUri.TrimEnd('/');
            await File.WriteAllBytesAsync(
                delivering.Receipts.PathFor(delivering.Root, Name),
                JsonSerializer.SerializeToUtf8Bytes(written with { Receipt = written.Receipt with { Store = folderName } }, Enforcement.Media.Ingest.Receipts.ReceiptFiles.Json),
                Token);
        }

        using var agent = new StationAgent(fixture.Server.BaseAddress, token, SourceDeletion.AfterVerified, root: dock.Path);
        var outcome = Assert.Single(await agent.SettleAsync(Token));

        Assert.Equal(DockFileResult.AlreadyDelivered, outcome.Result);
        Assert.True(outcome.Release!.Deleted, outcome.Release.Reason);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task An_upload_the_server_no_longer_knows_is_begun_afresh_after_a_restart_and_the_file_is_still_delivered_once()
    {
        var (key, token) = await StationKeyAsync();
        using var dock = new TempFolder();
        const string Name = "bay01/A123456_654321_20261122080000.mp4";
        var content = Unique(1_000_000);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var patches = 0;
        var firstWire = new Wire(async (request, response) =>
        {
            if (response is not null && request.Method == HttpMethod.Patch && Interlocked.Increment(ref patches) == 2)
            {
                await stop.CancelAsync();
            }

            return null;
        });
        using (var first = new StationAgent(fixture.Server.BaseAddress, token, root: dock.Path, network: firstWire))
        {
            first.Put(Name, content);
            await first.Watcher.ScanOnceAsync(Token);
            first.Time.Advance(StationAgent.StableFor + TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Watcher.ScanOnceAsync(stop.Token));
        }

        // Meanwhile the unfinished upload was terminated (tus termination): its bytes are gone from the server.
        using var raw = fixture.Server.Client(token);
        using (var terminated = await raw.DeleteAsync(firstWire.Patches[0].Uri, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, terminated.StatusCode);
        }

        using var second = new StationAgent(fixture.Server.BaseAddress, token, root: dock.Path);
        var outcome = Assert.Single(await second.SettleAsync(Token));

        Assert.Equal(DockFileResult.Delivered, outcome.Result);
        Assert.Equal(Sha256(content), second.ReceiptOf(Name)!.Receipt.Sha256);
        Assert.Contains(second.Logs.Events, e => e.Message.Contains("no longer exists on the server", StringComparison.Ordinal));
        Assert.Equal(2L, await UploadsByAsync(key)); // the terminated one and the new one
        Assert.Equal(1L, await RecordingsOfAsync(Sha256(content)));
        Assert.Equal(1L, await SourcesOfAsync(Sha256(content)));
        Assert.True(File.Exists(Path.Combine(dock.Path, Name)));
    }
}
