using System.Net;
using System.Text;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>Restarts, a full staging disk and an unreachable store: uploads wait, resume and are never lost.</summary>
public sealed class UploadFaultTests(UploadServerFixture fixture) : IClassFixture<UploadServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upload_resumes_on_a_new_server_over_the_same_catalogue_and_folder()
    {
        var (key, token) = await fixture.CreateKeyAsync();
        var content = Bytes.Random(2 * 1024 * 1024, 21);
        string location;
        await using (var first = await fixture.StartServerAsync())
        {
            using var client = first.Client(token);
            location = await Tus.CreateAsync(client, content.Length, Tus.Metadata(("filename", "restart.mp4")));
            (await Tus.PatchAsync(client, location, 0, content[..700_000])).Dispose();
        }

        // What a process killed mid-PATCH leaves behind: bytes past the confirmed offset.
        var staged = Path.Combine(fixture.UploadFolder, location.Split('/')[^1]);
        await File.AppendAllTextAsync(staged, "bytes that were never confirmed", Token);

        await using var second = await fixture.StartServerAsync();
        using var again = second.Client(token);
        Assert.Equal(700_000, await Tus.OffsetAsync(again, location));
        using var rest = await Tus.PatchAsync(again, location, 700_000, content[700_000..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);

        var receipt = await Tus.ReceiptAsync(again, location);
        Assert.Equal(Tus.Sha256Hex(content), receipt.Sha256);
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE api_key_id = @Id", new { key.Id }));
        Assert.False(File.Exists(staged));
    }

    [Fact]
    public async Task A_new_upload_that_would_leave_too_little_staging_space_is_507_and_nothing_is_stored()
    {
        var (key, token) = await fixture.CreateKeyAsync();
        var free = new DriveInfo(fixture.UploadFolder).AvailableFreeSpace;
        await using var server = await fixture.StartServerAsync($"Uploads:MinimumFreeBytes={free + (1L << 40)}");
        using var client = server.Client(token);
        var files = fixture.StagingFiles().Length;

        using var response = await Tus.PostAsync(client, 1000);

        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE api_key_id = @Id", new { key.Id }));
        Assert.Equal(files, fixture.StagingFiles().Length);
    }

    [Fact]
    public async Task A_patch_when_the_staging_disk_is_short_is_507_keeps_the_confirmed_bytes_and_resumes_later()
    {
        var (_, token) = await fixture.CreateKeyAsync();
        var content = Bytes.Random(1_000_000, 22);
        using var client = fixture.Server.Client(token);
        var location = await Tus.CreateAsync(client, content.Length);
        (await Tus.PatchAsync(client, location, 0, content[..400_000])).Dispose();
        var staged = Path.Combine(fixture.UploadFolder, location.Split('/')[^1]);
        var before = Tus.Sha256Hex(await File.ReadAllBytesAsync(staged, Token));

        var free = new DriveInfo(fixture.UploadFolder).AvailableFreeSpace;
        await using (var tight = await fixture.StartServerAsync($"Uploads:MinimumFreeBytes={free + (1L << 40)}"))
        {
            using var tightClient = tight.Client(token);
            using var refused = await Tus.PatchAsync(tightClient, location, 400_000, content[400_000..]);

            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            Assert.Equal(400_000, Tus.OffsetOf(refused));
        }

        Assert.Equal(400_000, await Tus.OffsetAsync(client, location));
        Assert.Equal(before, Tus.Sha256Hex(await File.ReadAllBytesAsync(staged, Token)));
        using var resumed = await Tus.PatchAsync(client, location, 400_000, content[400_000..]);
        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(client, location)).Sha256);
    }

    [Fact]
    public async Task A_staging_disk_that_fills_mid_patch_is_507_at_the_last_confirmed_offset_and_the_upload_resumes()
    {
        using var mount = TmpfsMount.Create(fixture.Folder.Combine("tiny"), sizeKiB: 4096);
        var (_, token) = await fixture.CreateKeyAsync();
        var content = Bytes.Random(3 * 1024 * 1024, 23);
        await using var server = await IngestServer.StartAsync(fixture.Catalogue, mount.Path, fixture.EvidenceRoot, "Uploads:CheckpointBytes=65536");
        using var client = server.Client(token);
        var location = await Tus.CreateAsync(client, content.Length);
        var staged = Path.Combine(mount.Path, location.Split('/')[^1]);
        var filler = Path.Combine(mount.Path, "filler");

        // The receiver writes (and so confirms) whole blocks: of the first 1 200 000 bytes, the whole blocks.
        const int sent = 1_200_000;
        const int wholeBlocks = sent / HashingCopier.SliceSize * HashingCopier.SliceSize;
        using (var patch = await Tus.StartPartialPatchAsync(server.BaseAddress, location, token, 0, content.Length, content[..sent]))
        {
            await Tus.EventuallyAsync(async () => await Tus.OffsetAsync(client, location) == wholeBlocks, "the whole blocks sent to be confirmed");

            // Something else fills the disk while the PATCH streams.
            await using (var fill = new FileStream(filler, FileMode.Create))
            {
                var block = new byte[64 * 1024];
                try
                {
                    while (true)
                    {
                        await fill.WriteAsync(block, Token);
                        await fill.FlushAsync(Token);
                    }
                }
                catch (IOException)
                {
                    // Full.
                }
            }

            var stream = patch.GetStream();
            await stream.WriteAsync(content.AsMemory(sent), Token);
            var answer = await ReadStatusLineAsync(stream);
            Assert.Contains(" 507 ", answer, StringComparison.Ordinal);
        }

        var confirmed = await Tus.OffsetAsync(client, location);
        Assert.Equal(wholeBlocks, confirmed);
        Assert.Equal(Tus.Sha256Hex(content[..(int)confirmed]), Tus.Sha256Hex(await File.ReadAllBytesAsync(staged, Token)));

        File.Delete(filler);
        using var resumed = await Tus.PatchAsync(client, location, confirmed, content[(int)confirmed..]);
        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(client, location)).Sha256);
    }

    [Fact]
    public async Task When_the_evidence_store_is_down_the_upload_waits_staged_and_is_archived_once_it_is_back()
    {
        // A catalogue of its own, so that no other server's job worker (with a working store) takes the job.
        await using var catalogue = new CatalogueFixture();
        await catalogue.InitializeAsync();
        var keys = new ApiKeyStore(catalogue.DataSource, new AuditTrail(catalogue.DataSource, TimeProvider.System), TimeProvider.System);
        var (key, token) = await keys.CreateAsync("PHONE-FLAKY", ApiKeyKind.Device, null, "user:test", Token);
        var evidence = fixture.Folder.Combine("flaky-evidence");
        var content = Bytes.Random(300_000, 24);
        await using var server = await IngestServer.StartAsync(catalogue, fixture.UploadFolder, evidence);
        using var client = server.Client(token);
        var location = await Tus.CreateAsync(client, content.Length, Tus.Metadata(("filename", "waits.mp4")));
        var staged = Path.Combine(fixture.UploadFolder, location.Split('/')[^1]);

        // The store's disk goes away: its folder is replaced by a plain file, so every write fails.
        Directory.Move(evidence, evidence + ".away");
        await File.WriteAllTextAsync(evidence, "not a folder", Token);
        try
        {
            (await Tus.PatchAsync(client, location, 0, content)).Dispose();
            await Tus.EventuallyAsync(
                async () =>
                {
                    await using var connection = await catalogue.DataSource.OpenConnectionAsync(Token);
                    return await connection.ExecuteScalarAsync<long>(
                        "SELECT count(*) FROM jobs WHERE kind = 'archive-upload' AND state = 'queued' AND last_error IS NOT NULL") > 0;
                },
                "the archive job to fail against the missing store");

            using var waiting = await client.GetAsync($"{location}/receipt", Token);
            Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
            Assert.True(File.Exists(staged), "the staged bytes wait for the store");
            Assert.Equal(content.Length, new FileInfo(staged).Length);
        }
        finally
        {
            File.Delete(evidence);
            Directory.Move(evidence + ".away", evidence);
        }

        var receipt = await Tus.ReceiptAsync(client, location);
        Assert.Equal(Tus.Sha256Hex(content), receipt.Sha256);
        Assert.False(File.Exists(staged));
        await using var check = await catalogue.DataSource.OpenConnectionAsync(Token);
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM recording_sources WHERE api_key_id = @Id", new { key.Id }));
    }

    private static async Task<string> ReadStatusLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, Token) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }
}
