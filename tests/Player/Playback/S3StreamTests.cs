using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Playback;

/// <summary>
/// The same stream against Ceph RGW with Object Lock (the S3 store the player reads by byte range): the
/// player is hosted with <c>Store:Kind=S3</c> on a bucket of its own, and every answered range is compared
/// with the object's real bytes read straight from the bucket.
/// </summary>
public sealed class S3StreamTests(PlayerApp app) : IClassFixture<PlayerApp>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ranges_served_from_the_s3_store_are_the_objects_exact_bytes_and_each_is_logged()
    {
        var bucket = S3BucketFixture.For(UniqueName.For("pb-"));
        await using var s3Player = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Store:Kind", "S3");
            b.UseSetting("Store:S3:ServiceUrl", bucket.ServiceUrl);
            b.UseSetting("Store:S3:AccessKey", bucket.AccessKey);
            b.UseSetting("Store:S3:SecretKey", bucket.SecretKey);
            b.UseSetting("Store:S3:Bucket", bucket.Bucket);
        });
        var services = s3Player.Services;
        var store = services.GetRequiredService<IEvidenceStore>();
        Assert.StartsWith("s3://", store.Name, StringComparison.Ordinal);
        var catalogue = services.GetRequiredService<NpgsqlDataSource>();

        var unit = $"S{Guid.NewGuid():N}"[..20];
        await services.GetRequiredService<AdminService>().CreateUnitAsync(unit, "S3 unit", null, "user:test", Token);
        var original = Bytes.Random(3 * 1024 * 1024 + 17, 42);
        var recording = await services.GetRequiredService<RecordingArchive>().ArchiveAsync(
            new MemoryStream(original), new Delivery(SourceKind.Command, "user:test", "B200001_000001_20261202100000.mp4", UnitCode: unit), null, Token);
        var rendition = Bytes.Random(2 * 1024 * 1024 + 5, 43);
        await PlaybackHarness.StoreDerivativeAsync(store, catalogue, recording, DerivationRole.Playback, rendition, "video/mp4", ObjectKind.Rendition);

        var accounts = services.GetRequiredService<AccountService>();
        var user = await accounts.CreateAsync($"s{Guid.NewGuid():N}"[..20], "S3 legal reviewer", unit, [Roles.LegalReviewer], $"pw-{Guid.NewGuid():N}", mustChangePassword: false, "user:test", Token);
        var client = s3Player.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await accounts.IssueOwnTokenAsync(user.Id, "s3", Token));

        foreach (var (variant, content) in new[] { ("rendition", rendition), ("original", original) })
        {
            var started = await client.PostAsJsonAsync($"/api/v1/recordings/{recording.RecordingId}/sessions", new { reason = "S3 range check", variant }, Token);
            Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync(Token));
            var media = (await started.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("mediaUrl").GetString()!;
            var length = content.Length;
            var ranges = new (string Header, long From, long To)[]
            {
                ("bytes=0-0", 0, 0),
                ("bytes=1048570-1048580", 1048570, 1048580),
                ("bytes=-1000", length - 1000, length - 1),
                ($"bytes={length - 10}-", length - 10, length - 1),
                ($"bytes=5-{length + 1000}", 5, length - 1),
            };
            foreach (var (header, from, to) in ranges)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, media);
                request.Headers.TryAddWithoutValidation("Range", header);
                var response = await client.SendAsync(request, Token);
                Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
                Assert.Equal($"bytes {from}-{to}/{length}", response.Content.Headers.ContentRange!.ToString());
                Assert.Equal(content[(int)from..(int)(to + 1)], await response.Content.ReadAsByteArrayAsync(Token));
            }

            var whole = await client.GetByteArrayAsync(media, Token);
            Assert.Equal(content, whole);
            using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, media);
            unsatisfiable.Headers.TryAddWithoutValidation("Range", $"bytes={length}-");
            var refused = await client.SendAsync(unsatisfiable, Token);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
            Assert.Equal($"bytes */{length}", refused.Content.Headers.ContentRange!.ToString());
        }

        // The bytes compared above are the bucket's own: read the rendition's version straight from RGW.
        await using var connection = await catalogue.OpenConnectionAsync(Token);
        var (key, version) = await Dapper.SqlMapper.QuerySingleAsync<(string, string)>(
            connection, "SELECT object_key, version_id FROM current_derivatives WHERE recording_id = @id AND role = 'playback'", new { id = recording.RecordingId });
        using var raw = Enforcement.Media.Storage.Objects.S3.S3ClientFactory.Create(bucket);
        using var got = await raw.GetObjectAsync(new Amazon.S3.Model.GetObjectRequest { BucketName = bucket.Bucket, Key = key, VersionId = version }, Token);
        Assert.Equal(rendition, await Bytes.ReadAllAsync(got.ResponseStream, Token));
    }
}
