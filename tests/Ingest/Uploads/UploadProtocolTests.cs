using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Enforcement.Media.Ingest.Uploads;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>The tus 1.0.0 server against hostile and broken requests, on the real ingest app.</summary>
public sealed class UploadProtocolTests(UploadServerFixture fixture) : IClassFixture<UploadServerFixture>
{
    /// <summary>Audit events sealed into the chain or still in the outbox (the server's sealer moves them at any moment).</summary>
    private const string AuditEvents = "(SELECT actor, action, subject_id FROM audit_outbox UNION ALL SELECT actor, action, subject_id FROM audit_events) AS e";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IngestServer Server => fixture.Server;

    private Task<long> UploadCountAsync() => fixture.ScalarAsync<long>("SELECT count(*) FROM uploads");

    private async Task<(ApiKey Key, HttpClient Client, string Token)> DeviceAsync()
    {
        var (key, token) = await fixture.CreateKeyAsync();
        return (key, Server.Client(token), token);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ProblemDetails>(Token))?.Detail ?? string.Empty;

    [Fact]
    public async Task Options_advertises_tus_1_0_0_its_extensions_size_limit_and_checksums()
    {
        using var client = Server.Client(null, tusResumable: false);
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/v1/uploads"), Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal("creation,termination,checksum,expiration", response.Headers.GetValues("Tus-Extension").Single());
        Assert.Equal((64L * 1024 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Tus-Max-Size").Single());
        Assert.Contains("sha256", response.Headers.GetValues("Tus-Checksum-Algorithm").Single().Split(','));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer em_not-a-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer em_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_request_without_a_known_key_is_401_and_stores_nothing(string? authorization)
    {
        using var client = Server.Client(null);
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var uploadsBefore = await UploadCountAsync();
        var filesBefore = fixture.StagingFiles().Length;

        using var created = await Tus.PostAsync(client, 10, Tus.Metadata(("filename", "a.mp4")));
        using var receipt = await client.GetAsync($"/api/v1/receipts/{new string('a', 64)}", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, created.StatusCode);
        Assert.Equal("Bearer", created.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("1.0.0", created.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, receipt.StatusCode);
        Assert.Equal(uploadsBefore, await UploadCountAsync());
        Assert.Equal(filesBefore, fixture.StagingFiles().Length);
    }

    [Fact]
    public async Task A_key_with_the_right_id_but_a_wrong_secret_is_401()
    {
        var (key, token) = await fixture.CreateKeyAsync();
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        using var client = Server.Client(forged);

        using var response = await Tus.PostAsync(client, 10);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @Id", new { key.Id }));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_from_its_next_request_and_its_upload_stops()
    {
        var (key, client, _) = await DeviceAsync();
        var location = await Tus.CreateAsync(client, 100);
        using (var first = await Tus.PatchAsync(client, location, 0, Bytes.Random(40, 1)))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        await fixture.Keys.RevokeAsync(key.Name, "user:test", Token);

        using var patch = await Tus.PatchAsync(client, location, 40, Bytes.Random(60, 2));
        using var create = await Tus.PostAsync(client, 10);
        Assert.Equal(HttpStatusCode.Unauthorized, patch.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal(40, await fixture.ScalarAsync<long>("SELECT upload_offset FROM uploads WHERE api_key_id = @Id", new { key.Id }));
        Assert.Equal(40, new FileInfo(Path.Combine(fixture.UploadFolder, location.Split('/')[^1])).Length);
    }

    [Fact]
    public async Task Another_keys_upload_is_404_for_every_method()
    {
        var (_, owner, _) = await DeviceAsync();
        var (_, stranger, _) = await DeviceAsync();
        var location = await Tus.CreateAsync(owner, 10);

        using var head = await Tus.HeadAsync(stranger, location);
        using var patch = await Tus.PatchAsync(stranger, location, 0, Bytes.Random(10, 3));
        using var delete = await stranger.DeleteAsync(location, Token);
        using var receipt = await stranger.GetAsync($"{location}/receipt", Token);

        Assert.All(new[] { head, patch, delete, receipt }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(0, await Tus.OffsetAsync(owner, location));
        Assert.Equal(0, new FileInfo(Path.Combine(fixture.UploadFolder, location.Split('/')[^1])).Length);
    }

    [Fact]
    public async Task A_request_without_Tus_Resumable_is_412_and_changes_nothing()
    {
        var (_, client, token) = await DeviceAsync();
        var location = await Tus.CreateAsync(client, 10);
        using var plain = Server.Client(token, tusResumable: false);
        var uploadsBefore = await UploadCountAsync();

        using var create = await Tus.PostAsync(plain, 10);
        using var patch = await Tus.PatchAsync(plain, location, 0, Bytes.Random(10, 4));
        using var head = await Tus.HeadAsync(plain, location);
        using var delete = await plain.DeleteAsync(location, Token);

        Assert.All(new[] { create, patch, head, delete }, r =>
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode);
            Assert.Equal("1.0.0", r.Headers.GetValues("Tus-Version").Single());
        });
        Assert.Equal(uploadsBefore, await UploadCountAsync());
        Assert.Equal(0, await Tus.OffsetAsync(client, location));
    }

    [Fact]
    public async Task A_patch_that_is_not_offset_octet_stream_is_415()
    {
        var (_, client, _) = await DeviceAsync();
        var location = await Tus.CreateAsync(client, 10);

        using var response = await Tus.PatchAsync(client, location, 0, Bytes.Random(10, 5), contentType: "application/octet-stream");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await Tus.OffsetAsync(client, location));
    }

    [Fact]
    public async Task A_patch_at_the_wrong_offset_is_409_with_the_real_offset()
    {
        var (_, client, _) = await DeviceAsync();
        var content = Bytes.Random(100, 6);
        var location = await Tus.CreateAsync(client, content.Length);
        (await Tus.PatchAsync(client, location, 0, content[..30])).Dispose();

        using var behind = await Tus.PatchAsync(client, location, 0, content[..30]);
        using var ahead = await Tus.PatchAsync(client, location, 50, content[50..]);

        Assert.Equal(HttpStatusCode.Conflict, behind.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, ahead.StatusCode);
        Assert.Equal(30, Tus.OffsetOf(ahead));
        Assert.Equal(30, await Tus.OffsetAsync(client, location));
    }

    [Fact]
    public async Task A_chunk_failing_its_checksum_is_460_and_discarded_and_the_right_one_is_then_accepted()
    {
        var (_, client, _) = await DeviceAsync();
        var content = Bytes.Random(200_000, 7);
        var location = await Tus.CreateAsync(client, content.Length);
        (await Tus.PatchAsync(client, location, 0, content[..50_000], Tus.Sha256Checksum(content[..50_000]))).Dispose();

        var corrupted = content[50_000..].ToArray();
        corrupted[1234] ^= 0xFF;
        using var mismatch = await Tus.PatchAsync(client, location, 50_000, corrupted, Tus.Sha256Checksum(content[50_000..]));

        Assert.Equal((HttpStatusCode)460, mismatch.StatusCode);
        Assert.Equal(50_000, Tus.OffsetOf(mismatch));
        Assert.Equal(50_000, await Tus.OffsetAsync(client, location));
        Assert.Equal(50_000, new FileInfo(Path.Combine(fixture.UploadFolder, location.Split('/')[^1])).Length);

        using var good = await Tus.PatchAsync(client, location, 50_000, content[50_000..], Tus.Sha256Checksum(content[50_000..]));
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(client, location)).Sha256);
    }

    [Theory]
    [InlineData("md5 1B2M2Y8AsgTpgAmY7PhCfg==")]
    [InlineData("sha256")]
    [InlineData("sha256 not-base64!")]
    [InlineData("sha256 AAAA")]
    public async Task An_unusable_checksum_header_is_400_and_nothing_is_written(string checksum)
    {
        var (_, client, _) = await DeviceAsync();
        var location = await Tus.CreateAsync(client, 10);

        using var response = await Tus.PatchAsync(client, location, 0, Bytes.Random(10, 8), checksum);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Upload-Checksum", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, await Tus.OffsetAsync(client, location));
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_413_and_stores_nothing()
    {
        var (key, client, _) = await DeviceAsync();

        using var response = await Tus.PostAsync(client, (64L * 1024 * 1024 * 1024) + 1);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @Id", new { key.Id }));
    }

    [Fact]
    public async Task A_chunk_going_past_the_upload_length_is_413_and_discarded()
    {
        var (_, client, _) = await DeviceAsync();
        var location = await Tus.CreateAsync(client, 10);

        using var response = await Tus.PatchAsync(client, location, 0, Bytes.Random(11, 9));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await Tus.OffsetAsync(client, location));
    }

    [Theory]
    [InlineData(null, "Upload-Length")]
    [InlineData("-1", "Upload-Length")]
    [InlineData("ten", "Upload-Length")]
    public async Task A_creation_without_a_usable_length_is_400(string? length, string named)
    {
        var (_, client, _) = await DeviceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads");
        if (length is not null)
        {
            request.Headers.TryAddWithoutValidation("Upload-Length", length);
        }

        using var response = await client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await DetailAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("filename !!notbase64!!", "filename")]
    [InlineData("filename YS5tcDQ=,filename Yi5tcDQ=", "filename")]
    [InlineData("filename YS5tcDQ=,,officer_id MTIzNDU2", "empty key")]
    [InlineData("filename YS5tcDQ= extra", "filename")]
    [InlineData("filename //79", "filename")] // bytes FF FE FD: not UTF-8
    [InlineData("sha256 eHl6", "sha256")] // "xyz"
    [InlineData("md5 eHl6", "md5")]
    [InlineData("recorded_at eWVzdGVyZGF5", "recorded_at")] // "yesterday"
    [InlineData("recorded_at MjAyNi0xMy00MFQyNTowMDowMFo=", "recorded_at")] // month 13
    [InlineData("clock_offset_seconds YWJj", "clock_offset_seconds")]
    public async Task Malformed_metadata_is_400_naming_the_problem_and_stores_nothing(string metadata, string named)
    {
        var (key, client, _) = await DeviceAsync();

        using var response = await Tus.PostAsync(client, 10, metadata);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @Id", new { key.Id }));
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("01a20129-0a07-7a90-836a-64381cd580bf")]
    [InlineData("..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2e%2e")]
    [InlineData("00000000000000000000000000000000")]
    public async Task An_upload_id_that_is_not_one_of_ours_is_404(string id)
    {
        var (_, client, _) = await DeviceAsync();

        using var head = await Tus.HeadAsync(client, $"/api/v1/uploads/{id}");
        using var patch = await Tus.PatchAsync(client, $"/api/v1/uploads/{id}", 0, Bytes.Random(4, 10));
        using var delete = await client.DeleteAsync($"/api/v1/uploads/{id}", Token);

        Assert.All(new[] { head, patch, delete }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.All(fixture.StagingFiles(), f => Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(f)));
    }

    [Fact]
    public async Task Head_reports_offset_length_metadata_and_forbids_caching()
    {
        var (_, client, _) = await DeviceAsync();
        var metadata = Tus.Metadata(("filename", "clip.mp4"), ("officer_id", "123456"));
        var location = await Tus.CreateAsync(client, 1000, metadata);
        (await Tus.PatchAsync(client, location, 0, Bytes.Random(300, 11))).Dispose();

        using var head = await Tus.HeadAsync(client, location);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("300", head.Headers.GetValues("Upload-Offset").Single());
        Assert.Equal("1000", head.Headers.GetValues("Upload-Length").Single());
        Assert.Equal(metadata, head.Headers.GetValues("Upload-Metadata").Single());
        Assert.True(head.Headers.CacheControl!.NoStore);
        Assert.Equal("1.0.0", head.Headers.GetValues("Tus-Resumable").Single());
    }

    [Fact]
    public async Task Delete_terminates_an_unfinished_upload_removes_its_bytes_and_audits_it()
    {
        var (key, client, _) = await DeviceAsync();
        var location = await Tus.CreateAsync(client, 100);
        (await Tus.PatchAsync(client, location, 0, Bytes.Random(50, 12))).Dispose();
        var file = Path.Combine(fixture.UploadFolder, location.Split('/')[^1]);

        using var delete = await client.DeleteAsync(location, Token);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(File.Exists(file));
        using var head = await Tus.HeadAsync(client, location);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(1, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM {AuditEvents} WHERE action = 'upload.terminated' AND actor = @Actor", new { key.Actor }));
    }

    [Fact]
    public async Task An_upload_nobody_advanced_for_the_expiry_period_is_ended_its_bytes_removed_and_audited()
    {
        var (_, client, _) = await DeviceAsync();
        var idle = await Tus.CreateAsync(client, 100);
        using (var patch = await Tus.PatchAsync(client, idle, 0, Bytes.Random(40, 21)))
        {
            // tus expiration: every PATCH that advances an unfinished upload says when it ends (default 7 days).
            var expires = DateTimeOffset.Parse(patch.Headers.GetValues("Upload-Expires").Single(), CultureInfo.InvariantCulture);
            var inAWeek = TimeProvider.System.GetUtcNow().AddDays(7);
            Assert.InRange(expires, inAWeek.AddMinutes(-5), inAWeek.AddMinutes(5));
        }

        var busy = await Tus.CreateAsync(client, 100);
        string fresh;
        using (var created = await Tus.PostAsync(client, 100))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Single(created.Headers.GetValues("Upload-Expires"));
            fresh = created.Headers.Location!.OriginalString;
        }

        string[] old = [Id(idle), Id(busy)];
        Assert.Equal(2, await fixture.ScalarAsync<long>(
            "WITH aged AS (UPDATE uploads SET updated_at = now() - interval '8 days' WHERE id = ANY(@old) RETURNING 1) SELECT count(*) FROM aged", new { old = old.Select(Guid.Parse).ToArray() }));
        var idleFile = Path.Combine(fixture.UploadFolder, Id(idle));

        // A PATCH writing to the second one holds its staging file's lock: it is not idle, whatever the clock says.
        await using (new FileStream(Path.Combine(fixture.UploadFolder, Id(busy)), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            await Server.Services.GetRequiredService<UploadExpiry>().SweepAsync(Token);
        }

        using (var head = await Tus.HeadAsync(client, idle))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        Assert.False(File.Exists(idleFile));
        using (var late = await Tus.PatchAsync(client, idle, 40, Bytes.Random(60, 22)))
        {
            Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        }

        Assert.False(File.Exists(idleFile));
        Assert.Equal(1, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM {AuditEvents} WHERE action = 'upload.expired' AND actor = 'system:uploads' AND subject_id = @Id", new { Id = Guid.Parse(Id(idle)).ToString() }));
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE id = @Id AND expired AND terminated_at IS NOT NULL", new { Id = Guid.Parse(Id(idle)) }));
        foreach (var open in new[] { busy, fresh })
        {
            using var head = await Tus.HeadAsync(client, open);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        static string Id(string location) => location.Split('/')[^1];
    }

    [Fact]
    public async Task A_completed_upload_cannot_be_terminated()
    {
        var (_, client, _) = await DeviceAsync();
        var content = Bytes.Random(64, 13);
        var location = await Tus.CreateAsync(client, content.Length);
        (await Tus.PatchAsync(client, location, 0, content)).Dispose();

        using var delete = await client.DeleteAsync(location, Token);

        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(client, location)).Sha256);
    }

    [Fact]
    public async Task A_zero_byte_upload_completes_at_creation_and_is_archived()
    {
        var (key, client, _) = await DeviceAsync();

        var location = await Tus.CreateAsync(client, 0, Tus.Metadata(("filename", "empty.mp4")));
        var receipt = await Tus.ReceiptAsync(client, location);

        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", receipt.Sha256);
        Assert.Equal(0, receipt.Size);
        Assert.Equal(1, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM recording_sources WHERE api_key_id = @Id AND original_name = 'empty.mp4'", new { key.Id }));
    }

    [Theory]
    [InlineData("my clip 01.mp4")]
    [InlineData("执法记录仪_张三_20261122080000_IMP.mp4")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/var/lib/evidence/a.mp4")]
    [InlineData("a\\b\\..\\c.mov")]
    [InlineData("name-255")]
    [InlineData("unicode-255")]
    public async Task A_file_name_is_kept_as_given_and_never_used_as_a_path(string name)
    {
        name = name switch
        {
            "name-255" => new string('n', 251) + ".mp4",
            "unicode-255" => string.Concat(Enumerable.Repeat("录", 83)) + "34.mp4", // 83 × 3 + 6 = 255 UTF-8 bytes
            _ => name,
        };
        var (key, client, _) = await DeviceAsync();
        var content = Bytes.Random(5000, Random.Shared.Next());

        var location = await Tus.CreateAsync(client, content.Length, Tus.Metadata(("filename", name)));
        (await Tus.PatchAsync(client, location, 0, content)).Dispose();
        var receipt = await Tus.ReceiptAsync(client, location);

        Assert.Equal(name, await fixture.ScalarAsync<string>(
            "SELECT original_name FROM recording_sources WHERE api_key_id = @Id", new { key.Id }));
        Assert.Equal(Tus.Sha256Hex(content), receipt.Sha256);
        Assert.All(fixture.StagingFiles(), f => Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(f)));
        Assert.DoesNotContain(
            Directory.GetFileSystemEntries(fixture.Folder.Path, "*", SearchOption.AllDirectories),
            entry => Path.GetFileName(entry).Contains(name.Split('/', '\\')[^1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metadata_becomes_the_delivery_and_the_source_names_its_key()
    {
        var (key, token) = await fixture.CreateKeyAsync(ApiKeyKind.Station, "DOCK-07");
        using var client = Server.Client(token);
        var content = Bytes.Random(4096, 14);
        var metadata = Tus.Metadata(
            ("filename", "A123456_654321_20261122080000_IMP.mp4"),
            ("device_serial", "A123456"),
            ("officer_id", "654321"),
            ("unit_code", "330100000000"),
            ("recorded_at", "2026-11-22T08:00:00+08:00"),
            ("sha256", Tus.Sha256Hex(content)),
            ("case_code", "HZ-2026-0042"),
            ("content_type", "video/mp4"),
            ("important", "true"),
            ("clock_offset_seconds", "-42"),
            ("vendor_extra", "kept"));

        var location = await Tus.CreateAsync(client, content.Length, metadata);
        (await Tus.PatchAsync(client, location, 0, content)).Dispose();
        var receipt = await Tus.ReceiptAsync(client, location);

        var source = Assert.Single(await fixture.QueryAsync<SourceRow>(
            """
            SELECT source_kind, station_id, device_serial, officer_id, unit_code, recorder_started_at, recorder_clock_offset_seconds,
                   important, case_code, claim_verified, api_key_id, original_path
            FROM recording_sources WHERE recording_id = @RecordingId
            """,
            new { receipt.RecordingId }));
        Assert.Equal(("station", "DOCK-07", "A123456", "654321", "330100000000"), (source.SourceKind, source.StationId, source.DeviceSerial, source.OfficerId, source.UnitCode));
        Assert.Equal(new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(source.RecorderStartedAt!.Value, DateTimeKind.Utc));
        Assert.Equal((-42, true, "HZ-2026-0042", true, key.Id), (source.RecorderClockOffsetSeconds!.Value, source.Important, source.CaseCode, source.ClaimVerified!.Value, source.ApiKeyId!.Value));
        Assert.Equal(location, source.OriginalPath);
        Assert.Equal(1, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM {AuditEvents} WHERE action = 'recording.ingested' AND actor = @Actor AND subject_id = @Id",
            new { key.Actor, Id = receipt.RecordingId.ToString() }));
    }

    [Fact]
    public async Task A_wrong_claimed_sha256_is_archived_in_quarantine_never_dropped()
    {
        var (_, client, _) = await DeviceAsync();
        var content = Bytes.Random(3000, 15);

        var location = await Tus.CreateAsync(client, content.Length, Tus.Metadata(("filename", "x.mp4"), ("sha256", new string('0', 64))));
        (await Tus.PatchAsync(client, location, 0, content)).Dispose();
        var receipt = await Tus.ReceiptAsync(client, location);

        Assert.Equal(Tus.Sha256Hex(content), receipt.Sha256);
        Assert.Contains("reported SHA-256", receipt.QuarantineReason, StringComparison.Ordinal);
        Assert.NotNull(await fixture.ScalarAsync<string>("SELECT quarantine_reason FROM recordings WHERE id = @RecordingId", new { receipt.RecordingId }));
    }

    private async Task<HttpClient> StationAsync(string? station = null)
    {
        var (_, token) = await fixture.CreateKeyAsync(ApiKeyKind.Station, station ?? $"DOCK-{Guid.NewGuid():N}"[..16]);
        return Server.Client(token);
    }

    [Fact]
    public async Task Receipts_by_sha256_are_200_when_held_404_when_not_and_400_when_malformed()
    {
        using var client = await StationAsync();
        var content = Bytes.Random(777, 16);
        var location = await Tus.CreateAsync(client, content.Length);
        (await Tus.PatchAsync(client, location, 0, content)).Dispose();
        var byUpload = await Tus.ReceiptAsync(client, location);

        using var held = await client.GetAsync($"/api/v1/receipts/{Tus.Sha256Hex(content).ToUpperInvariant()}", Token);
        using var missing = await client.GetAsync($"/api/v1/receipts/{new string('b', 64)}", Token);
        using var malformed = await client.GetAsync("/api/v1/receipts/xyz", Token);

        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        var receipt = await held.Content.ReadFromJsonAsync<Enforcement.Media.Ingest.Receipts.Receipt>(Token);
        Assert.Equal((byUpload.RecordingId, byUpload.Sha256, 777L, byUpload.ObjectKey), (receipt!.RecordingId, receipt.Sha256, receipt.Size, receipt.ObjectKey));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_receipt_by_sha256_is_given_only_to_a_station_that_delivered_the_content()
    {
        using var owner = await StationAsync();
        using var other = await StationAsync();
        var content = Bytes.Random(901, 17);
        var url = $"/api/v1/receipts/{Tus.Sha256Hex(content)}";
        var location = await Tus.CreateAsync(owner, content.Length);
        (await Tus.PatchAsync(owner, location, 0, content)).Dispose();
        var byUpload = await Tus.ReceiptAsync(owner, location);

        using var toOwner = await owner.GetAsync(url, Token);
        using var toOther = await other.GetAsync(url, Token);

        Assert.Equal(HttpStatusCode.OK, toOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, toOther.StatusCode);
        Assert.DoesNotContain(byUpload.RecordingId.ToString(), await toOther.Content.ReadAsStringAsync(Token), StringComparison.OrdinalIgnoreCase);

        // Once the other station delivers the same content itself, it gets the same receipt.
        var again = await Tus.CreateAsync(other, content.Length);
        (await Tus.PatchAsync(other, again, 0, content)).Dispose();
        Assert.Equal(byUpload.RecordingId, (await Tus.ReceiptAsync(other, again)).RecordingId);
        using var afterDelivery = await other.GetAsync(url, Token);
        Assert.Equal(HttpStatusCode.OK, afterDelivery.StatusCode);
        Assert.Equal(byUpload.RecordingId, (await afterDelivery.Content.ReadFromJsonAsync<Enforcement.Media.Ingest.Receipts.Receipt>(Token))!.RecordingId);
    }

    [Theory]
    [InlineData(ApiKeyKind.Device)]
    [InlineData(ApiKeyKind.CaseSystem)]
    public async Task Receipts_by_sha256_are_403_to_any_key_but_a_stations_naming_the_upload_receipt_instead(ApiKeyKind kind)
    {
        var (_, device, _) = await DeviceAsync();
        var content = Bytes.Random(345, 24);
        var location = await Tus.CreateAsync(device, content.Length);
        (await Tus.PatchAsync(device, location, 0, content)).Dispose();
        await Tus.ReceiptAsync(device, location);

        // The device that delivered the content is refused as well: it has its upload's receipt.
        using var client = kind == ApiKeyKind.Device ? device : Server.Client((await fixture.CreateKeyAsync(kind)).Token);

        using var response = await client.GetAsync($"/api/v1/receipts/{Tus.Sha256Hex(content)}", Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var detail = await DetailAsync(response);
        Assert.Contains("it needs a station key", detail, StringComparison.Ordinal);
        Assert.Contains("GET /api/v1/uploads/{id}/receipt", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receipts_served_over_http_name_the_filesystem_store_without_any_server_path()
    {
        using var station = await StationAsync();
        var content = Bytes.Random(512, 25);
        var location = await Tus.CreateAsync(station, content.Length);
        (await Tus.PatchAsync(station, location, 0, content)).Dispose();
        await Tus.ReceiptAsync(station, location);
        var evidence = Path.GetFullPath(fixture.EvidenceRoot);

        var byUpload = await station.GetStringAsync($"{location}/receipt", Token);
        var bySha256 = await station.GetStringAsync($"/api/v1/receipts/{Tus.Sha256Hex(content)}", Token);

        // A receipt recorded before receipts named stores publicly carries the store's folder; served, it does not.
        Assert.Equal(1, await fixture.ScalarAsync<int>(
            "WITH old AS (UPDATE uploads SET receipt = jsonb_set(receipt, '{store}', to_jsonb(@folder::text)) WHERE id = @Id RETURNING 1) SELECT count(*)::int FROM old",
            new { folder = new Uri(evidence + "/").AbsoluteUri.TrimEnd('/'), Id = Guid.Parse(location.Split('/')[^1]) }));
        var recordedBefore = await station.GetStringAsync($"{location}/receipt", Token);

        foreach (var served in new[] { byUpload, bySha256, recordedBefore })
        {
            Assert.Contains("\"store\":\"filesystem\"", served, StringComparison.Ordinal);
            Assert.DoesNotContain(evidence, served, StringComparison.Ordinal);
            Assert.DoesNotContain("file:", served, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_station_whose_key_was_replaced_still_gets_the_receipts_for_what_it_uploaded_under_the_old_key()
    {
        var station = $"DOCK-{Guid.NewGuid():N}"[..16];
        var (oldKey, oldToken) = await fixture.CreateKeyAsync(ApiKeyKind.Station, station);
        var (_, newToken) = await fixture.CreateKeyAsync(ApiKeyKind.Station, station);
        var (_, strangerToken) = await fixture.CreateKeyAsync(ApiKeyKind.Station, $"DOCK-{Guid.NewGuid():N}"[..16]);
        using var before = Server.Client(oldToken);
        var content = Bytes.Random(733, 23);
        var location = await Tus.CreateAsync(before, content.Length);
        (await Tus.PatchAsync(before, location, 0, content)).Dispose();
        var receipt = await Tus.ReceiptAsync(before, location);
        Assert.NotNull(await fixture.Keys.RevokeAsync(oldKey.Name, "user:test", Token));
        using var after = Server.Client(newToken);
        using var stranger = Server.Client(strangerToken);
        var url = $"/api/v1/receipts/{Tus.Sha256Hex(content)}";

        using var toNewKey = await after.GetAsync(url, Token);
        using var toOtherStation = await stranger.GetAsync(url, Token);

        Assert.Equal(HttpStatusCode.OK, toNewKey.StatusCode);
        Assert.Equal(receipt.RecordingId, (await toNewKey.Content.ReadFromJsonAsync<Enforcement.Media.Ingest.Receipts.Receipt>(Token))!.RecordingId);
        Assert.Equal(HttpStatusCode.NotFound, toOtherStation.StatusCode);
    }

    [Fact]
    public async Task The_receipt_of_an_unfinished_upload_is_409()
    {
        var (_, client, _) = await DeviceAsync();
        var location = await Tus.CreateAsync(client, 10);

        using var response = await client.GetAsync($"{location}/receipt", Token);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task A_second_patch_while_one_is_streaming_is_423_not_interleaved()
    {
        var (_, _, token) = await DeviceAsync();
        await using var server = await fixture.StartServerAsync("Uploads:CheckpointBytes=65536");
        using var direct = server.Client(token);
        var content = Bytes.Random(3 * 1024 * 1024, 17);
        var location = await Tus.CreateAsync(direct, content.Length);

        using (var first = await Tus.StartPartialPatchAsync(server.BaseAddress, location, token, 0, content.Length, content[..1_500_000]))
        {
            // The first PATCH has written past a checkpoint, so it holds the upload.
            await Tus.EventuallyAsync(async () => await Tus.OffsetAsync(direct, location) > 0, "the first PATCH's checkpoint");
            var offset = await Tus.OffsetAsync(direct, location);

            using var second = await Tus.PatchAsync(direct, location, offset, content[(int)offset..]);

            Assert.Equal((HttpStatusCode)423, second.StatusCode);
            await first.GetStream().WriteAsync(content.AsMemory(1_500_000), Token);
            await Tus.EventuallyAsync(async () => await Tus.OffsetAsync(direct, location) == content.Length, "the first PATCH to finish");
        }

        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(direct, location)).Sha256);
    }

    [Fact]
    public async Task A_client_cut_off_mid_patch_keeps_what_arrived_and_resumes_from_there()
    {
        var (key, client, token) = await DeviceAsync();
        var content = Bytes.Random(3 * 1024 * 1024, 18);
        var location = await Tus.CreateAsync(client, content.Length, Tus.Metadata(("filename", "cut.mp4")));

        var staged = Path.Combine(fixture.UploadFolder, location.Split('/')[^1]);
        using (await Tus.StartPartialPatchAsync(Server.BaseAddress, location, token, 0, content.Length, content[..1_234_567]))
        {
            // The server writes in 1 MiB blocks: once the first is down, cut the connection mid-body.
            await Tus.EventuallyAsync(() => Task.FromResult(new FileInfo(staged).Length >= 1024 * 1024), "the first block to reach the staging file");
        }

        // Kestrel drops whatever arrives in the same read as the connection's end, so "what arrived"
        // is at least the block written before the cut and at most what was sent.
        long offset = 0;
        await Tus.EventuallyAsync(
            async () =>
            {
                using var patch = await Tus.PatchAsync(client, location, 0, []);
                offset = Tus.OffsetOf(patch);
                return patch.StatusCode != (HttpStatusCode)423;
            },
            "the cut request to release the upload");
        Assert.InRange(offset, 1024 * 1024, 1_234_567);
        Assert.Equal(offset, await Tus.OffsetAsync(client, location));
        Assert.Equal(offset, new FileInfo(staged).Length);
        using var rest = await Tus.PatchAsync(client, location, offset, content[(int)offset..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);

        var receipt = await Tus.ReceiptAsync(client, location);
        Assert.Equal(Tus.Sha256Hex(content), receipt.Sha256);
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE api_key_id = @Id", new { key.Id }));
        Assert.DoesNotContain(fixture.StagingFiles(), f => f.EndsWith(location.Split('/')[^1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_checksummed_chunk_cut_off_mid_patch_is_discarded_whole()
    {
        var (_, client, token) = await DeviceAsync();
        var content = Bytes.Random(500_000, 19);
        var location = await Tus.CreateAsync(client, content.Length);
        (await Tus.PatchAsync(client, location, 0, content[..100_000])).Dispose();

        (await Tus.StartPartialPatchAsync(Server.BaseAddress, location, token, 100_000, 400_000, content[100_000..300_000], Tus.Sha256Checksum(content[100_000..]))).Dispose();

        // Until the server has dealt with the cut the upload is locked (423); then the offset is where it was.
        HttpStatusCode status = 0;
        await Tus.EventuallyAsync(
            async () =>
            {
                using var resent = await Tus.PatchAsync(client, location, 100_000, content[100_000..], Tus.Sha256Checksum(content[100_000..]));
                status = resent.StatusCode;
                return status != (HttpStatusCode)423;
            },
            "the cut request to release the upload");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(client, location)).Sha256);
    }

    private sealed record SourceRow(
        string SourceKind, string? StationId, string? DeviceSerial, string? OfficerId, string? UnitCode, DateTime? RecorderStartedAt,
        int? RecorderClockOffsetSeconds, bool Important, string? CaseCode, bool? ClaimVerified, Guid? ApiKeyId, string OriginalPath);
}
