using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Stations;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Uploads;

namespace Enforcement.Media.Tests.Ingest.KillTest;

/// <summary>
/// The kill test for tus field uploads into Ceph RGW: a slow client (a phone on a bad network)
/// uploads files, one content twice; <c>ingest run</c> is SIGKILLed mid-PATCH, while the archive
/// job runs, mid-commit, while sealing or anywhere, and the client resumes against each new process.
/// </summary>
public sealed class UploadKillTests(CatalogueFixture catalogue, S3BucketFixture bucket)
    : KillTestBase(catalogue), IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    protected override IReadOnlyDictionary<string, string> StoreEnvironment => KillStores.S3(bucket);

    protected override IEvidenceStore Store => bucket.Store;

    private string UploadFolder => Folder.Combine("uploads");

    protected override Task<IReadOnlyList<ObjectRef>> ListOriginalsAsync() => KillStores.ListOriginalsAsync(bucket, Token);

    protected override Task<IReadOnlyList<string>> ListPartialWritesAsync() => KillStores.ListMultipartUploadsAsync(bucket, Token);

    [Fact]
    public async Task Tus_uploads_survive_random_SIGKILLs_mid_patch_and_during_the_archive_job_each_stored_once()
    {
        await WithSeedOnFailureAsync(async () =>
        {
            var issued = await new ApiKeyStore(Catalogue.DataSource, new AuditTrail(Catalogue.DataSource, TimeProvider.System), TimeProvider.System)
                .CreateAsync(UniqueName.For("KILL-"), ApiKeyKind.Device, null, "user:test", Token);
            var uploads = NewUploads();
            var environment = Environment(new Dictionary<string, string>
            {
                ["Uploads__Folder"] = UploadFolder,
                ["Uploads__MinimumFreeBytes"] = "0",
                ["Uploads__CheckpointBytes"] = "1048576",
            });
            KillPoint[] points =
            [
                AnyMoment,
                WhenCatalogueShows("mid-patch", "SELECT count(*) FROM uploads WHERE upload_offset > 0 AND completed_at IS NULL"),
                WhenCatalogueShows("during the archive job", "SELECT count(*) FROM jobs WHERE kind = 'archive-upload' AND state = 'running'"),
                WhenCatalogueShows("mid-commit", "SELECT count(*) FROM pending_writes WHERE state IN ('written', 'sealing')"),
                WhenCatalogueShows("while sealing", "SELECT count(*) FROM pending_writes WHERE state = 'sealing'"),
            ];

            await RunUntilDoneAsync(
                environment,
                points,
                (process, cancellationToken) => UploadAllAsync(process, issued.Token, uploads, cancellationToken),
                async () => uploads.All(u => u.Location is not null)
                    && await CountAsync("SELECT count(*) FROM uploads WHERE archived_at IS NOT NULL AND id = ANY(@Ids)", new { Ids = uploads.Select(u => u.Id).ToArray() }) == uploads.Count);

            var contents = uploads.GroupBy(u => u.Sha256).ToDictionary(g => g.Key, g => (long)g.First().Content.Length);
            await AssertStoredExactlyOnceAsync(contents);
            await using var ingest = await IngestProcess.StartAsync(environment);
            using var client = Client(ingest, issued.Token);
            foreach (var upload in uploads)
            {
                var receipt = await Tus.ReceiptAsync(client, upload.Location!);
                Assert.Equal(upload.Sha256, receipt.Sha256);
                Assert.Null(receipt.QuarantineReason);
                Assert.False(File.Exists(Path.Combine(UploadFolder, upload.Location!.Split('/')[^1])), $"the staged copy of {upload.Name} is still there ({Schedule.Describe()})");
            }

            await AssertAuditChainVerifiesAsync();
        });
    }

    /// <summary>Six uploads of 1 to 7 MiB; the last repeats the first's content under another name.</summary>
    private List<KillUpload> NewUploads()
    {
        var uploads = new List<KillUpload>();
        for (var i = 0; i < 6; i++)
        {
            var content = i == 5 ? uploads[0].Content : Bytes.Random(1024 * 1024 + Schedule.Random.Next(6 * 1024 * 1024), Schedule.Random.Next());
            uploads.Add(new KillUpload($"A2000001_000777_2026120109{i:D2}00.mp4", content));
        }

        return uploads;
    }

    /// <summary>
    /// A tus client that resumes: creates what it has not created, asks each upload's offset and
    /// sends the rest slowly in one PATCH. Stops quietly when the server dies under it.
    /// </summary>
    private static async Task UploadAllAsync(IngestProcess process, string token, List<KillUpload> uploads, CancellationToken cancellationToken)
    {
        using var client = Client(process, token);
        foreach (var upload in uploads)
        {
            if (upload.Location is null)
            {
                upload.Location = await Tus.CreateAsync(client, upload.Content.Length, Tus.Metadata(("filename", upload.Name), ("sha256", upload.Sha256)));
            }

            long offset;
            while (true)
            {
                using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, upload.Location), cancellationToken);
                if (head.StatusCode == HttpStatusCode.OK)
                {
                    offset = Tus.OffsetOf(head);
                    break;
                }

                // 423: the killed process's PATCH is still being accounted for.
                await Task.Delay(50, cancellationToken);
            }

            if (offset == upload.Content.Length)
            {
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Patch, upload.Location)
            {
                Content = new StreamContent(new ThrottledStream(upload.Content, (int)offset, 128 * 1024, TimeSpan.FromMilliseconds(15))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            request.Content.Headers.ContentLength = upload.Content.Length - offset;
            request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    private static HttpClient Client(IngestProcess process, string token)
    {
        var client = new HttpClient { BaseAddress = process.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Add("Tus-Resumable", "1.0.0");
        return client;
    }

    private sealed class KillUpload(string name, byte[] content)
    {
        public string Name { get; } = name;

        public byte[] Content { get; } = content;

        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(content));

        public string? Location { get; set; }

        public Guid Id => Guid.Parse(Location!.Split('/')[^1]);
    }
}
