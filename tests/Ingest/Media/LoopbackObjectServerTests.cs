using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>The loopback object server over each real store: what ffmpeg sees when it reads an original.</summary>
public abstract class LoopbackObjectServerTests : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private LoopbackObjectServer? _server;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IEvidenceStore Store { get; }

    protected FakeTimeProvider Time { get; } = new(TimeProvider.System.GetUtcNow());

    protected LoopbackObjectServer Server => _server ??= new LoopbackObjectServer(Store, Time, NullLogger<LoopbackObjectServer>.Instance);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task<SealedObject> StoreAsync(Stream content)
    {
        var pending = await Store.WriteAsync(ObjectWrite.New(ObjectKind.Original, "video/mp4"), content, null, Token);
        return await Store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(1)), Token);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, string? range = null)
    {
        var request = new HttpRequestMessage(method, uri);
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        return _http.SendAsync(request, Token);
    }

    [Fact]
    public async Task An_exposed_object_is_served_whole_byte_for_byte_from_the_store()
    {
        var content = Bytes.Random(9 * 1024 * 1024 + 5, seed: 11);
        var stored = await StoreAsync(new MemoryStream(content));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        using var response = await SendAsync(HttpMethod.Get, exposed.Uri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bytes", string.Join(",", response.Headers.AcceptRanges));
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(await response.Content.ReadAsByteArrayAsync(Token)));
        Assert.Equal(content.Length, exposed.BytesServed);
    }

    [Theory]
    [InlineData("bytes=0-0", 0L, 0L)]
    [InlineData("bytes=1000-4999", 1000L, 4999L)]
    [InlineData("bytes=-4096", 2_000_000L - 4096, 1_999_999L)]
    [InlineData("bytes=1500000-", 1_500_000L, 1_999_999L)]
    [InlineData("bytes=1999000-3000000", 1_999_000L, 1_999_999L)]
    public async Task A_byte_range_is_served_as_206_with_exactly_those_bytes(string range, long first, long last)
    {
        var content = Bytes.Random(2_000_000, seed: 12);
        var stored = await StoreAsync(new MemoryStream(content));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        using var response = await SendAsync(HttpMethod.Get, exposed.Uri, range);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {first}-{last}/{content.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content.AsSpan((int)first, (int)(last - first + 1)).ToArray(), await response.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(1, exposed.RangeRequests);
    }

    [Fact]
    public async Task A_range_past_the_end_is_refused_with_416_and_the_real_length()
    {
        var stored = await StoreAsync(new MemoryStream(Bytes.Random(1000, seed: 13)));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        using var response = await SendAsync(HttpMethod.Get, exposed.Uri, "bytes=1000-");

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */1000", response.Content.Headers.ContentRange?.ToString());
    }

    [Theory]
    [InlineData("items=0-5", HttpStatusCode.OK)]
    [InlineData("bytes=0-5,10-15", HttpStatusCode.OK)]
    [InlineData("bytes=5-2", HttpStatusCode.RequestedRangeNotSatisfiable)]
    [InlineData("bytes=a-b", HttpStatusCode.RequestedRangeNotSatisfiable)]
    [InlineData("bytes=99999999999999999999-", HttpStatusCode.RequestedRangeNotSatisfiable)]
    public async Task Ranges_are_answered_by_the_same_rules_as_the_players_stream(string range, HttpStatusCode status)
    {
        var stored = await StoreAsync(new MemoryStream(Bytes.Random(1000, seed: 15)));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        using var response = await SendAsync(HttpMethod.Get, exposed.Uri, range);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(status == HttpStatusCode.OK ? 1000 : 0, (await response.Content.ReadAsByteArrayAsync(Token)).Length);
    }

    [Fact]
    public async Task Head_gives_the_length_without_the_body()
    {
        var stored = await StoreAsync(new MemoryStream(Bytes.Random(70_000, seed: 14)));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        using var response = await SendAsync(HttpMethod.Head, exposed.Uri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(70_000, response.Content.Headers.ContentLength);
        Assert.Equal(0, exposed.BytesServed);
    }

    [Fact]
    public async Task An_empty_object_is_served_as_an_empty_200_even_when_a_range_is_asked_for()
    {
        var stored = await StoreAsync(new MemoryStream([]));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        using var response = await SendAsync(HttpMethod.Get, exposed.Uri, "bytes=0-");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_token_that_was_never_issued_was_revoked_or_expired_serves_nothing()
    {
        var stored = await StoreAsync(new MemoryStream(Bytes.Random(100, seed: 15)));
        var revoked = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);
        using var expiring = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);
        var revokedUri = revoked.Uri;
        revoked.Dispose();
        Time.Advance(TimeSpan.FromMinutes(5));

        using var guessed = await SendAsync(HttpMethod.Get, new Uri(Server.BaseAddress!, "o/" + new string('A', 43)));
        using var afterRevoke = await SendAsync(HttpMethod.Get, revokedUri);
        using var afterExpiry = await SendAsync(HttpMethod.Get, expiring.Uri);
        using var root = await SendAsync(HttpMethod.Get, Server.BaseAddress!);

        Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterExpiry.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task The_server_is_read_only(string method)
    {
        var content = Bytes.Random(100, seed: 16);
        var stored = await StoreAsync(new MemoryStream(content));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        using var request = new HttpRequestMessage(new HttpMethod(method), exposed.Uri) { Content = new ByteArrayContent([1, 2, 3]) };
        using var response = await _http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(content, await Bytes.ReadAllAsync(await Store.OpenReadAsync(stored.Location, null, Token), Token));
    }

    [Fact]
    public async Task The_server_listens_on_loopback_only()
    {
        var stored = await StoreAsync(new MemoryStream(Bytes.Random(10, seed: 17)));
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        Assert.Equal("127.0.0.1", exposed.Uri.Host);
        var others = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
        foreach (var address in others)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(address, exposed.Uri.Port, Token));
        }
    }

    [Fact]
    public async Task Exposing_an_object_the_store_does_not_hold_fails()
    {
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Server.ExposeAsync(new ObjectRef("original/00/" + new string('0', 64), null), TimeSpan.FromMinutes(1), Token));
    }

    [Fact]
    public async Task A_store_failure_mid_read_breaks_the_response_and_is_remembered_as_a_source_failure()
    {
        var content = Bytes.Random(3_000_000, seed: 18);
        var stored = await StoreAsync(new MemoryStream(content));
        await using var failing = new LoopbackObjectServer(new FailingReads(Store, failAfter: 1_000_000), Time, NullLogger<LoopbackObjectServer>.Instance);
        using var exposed = await failing.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await SendAsync(HttpMethod.Get, exposed.Uri);
            await response.Content.ReadAsByteArrayAsync(Token);
        });

        Assert.IsType<IOException>(exposed.SourceFailure);
        Assert.Throws<MediaSourceException>(exposed.ThrowIfSourceFailed);
    }

    [Fact]
    public async Task Ffprobe_reads_an_mp4_with_its_index_at_the_end_through_the_server_by_seeking()
    {
        using var folder = new TempFolder();
        var clip = folder.Combine("moov-at-end.mp4");
        await Footage.H264AacAsync(clip, Token, seconds: 2);
        await using var file = File.OpenRead(clip);
        var stored = await StoreAsync(file);
        using var exposed = await Server.ExposeAsync(stored.Location, TimeSpan.FromMinutes(5), Token);
        var runner = new FfmpegToolRunner(Options.Create(new MediaOptions()), NullLogger<FfmpegToolRunner>.Instance);

        var result = await runner.RunAsync(MediaTool.Ffprobe, ["-v", "error", "-show_entries", "format=duration,format_name", "-of", "default=nw=1", exposed.Uri.ToString()], Token);

        var text = Encoding.UTF8.GetString(result.StandardOutput);
        Assert.Contains("format_name=mov,mp4,m4a,3gp,3g2,mj2", text, StringComparison.Ordinal);
        Assert.Contains("duration=2.0", text, StringComparison.Ordinal);
        Assert.True(exposed.RangeRequests >= 2, $"ffprobe should have seeked to the moov at the end; saw {exposed.Requests} requests, {exposed.RangeRequests} ranged");
    }
}

public sealed class FileSystemLoopbackObjectServerTests : LoopbackObjectServerTests, IDisposable
{
    private readonly TempFolder _folder = new();

    public FileSystemLoopbackObjectServerTests()
    {
        Store = new FileSystemEvidenceStore(Options.Create(new FileSystemStoreOptions { Root = _folder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    protected override IEvidenceStore Store { get; }

    public void Dispose() => _folder.Dispose();
}

public sealed class S3LoopbackObjectServerTests(S3BucketFixture bucket) : LoopbackObjectServerTests, IClassFixture<S3BucketFixture>
{
    protected override IEvidenceStore Store => bucket.Store;
}
