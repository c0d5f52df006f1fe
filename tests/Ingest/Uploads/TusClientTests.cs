using System.Net;
using Enforcement.Media.Ingest.Uploads.Client;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Uploads;

/// <summary>The station agent's tus client against the real server; network faults are injected between the two.</summary>
public sealed class TusClientTests(UploadServerFixture fixture) : IClassFixture<UploadServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(string Path, byte[] Content)> FileAsync(int length)
    {
        var content = Bytes.Random(length, Random.Shared.Next());
        var path = fixture.Folder.Combine($"{Guid.NewGuid():N} clip.mp4");
        await File.WriteAllBytesAsync(path, content, Token);
        return (path, content);
    }

    /// <summary>The client as the station agent builds it: the retries of <see cref="TusRetries.Handler"/> in front of the network.</summary>
    private TusClient Client(string token, HttpMessageHandler handler, int chunk = 64 * 1024, int attempts = 10)
    {
        var options = new TusClientOptions
        {
            Endpoint = fixture.Server.UploadsEndpoint,
            ApiKey = token,
            ChunkSizeBytes = chunk,
            MaxAttempts = attempts,
            RetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            ReceiptPollInterval = TimeSpan.FromMilliseconds(100),
        };
        return new TusClient(new HttpClient(TusRetries.Handler(options, handler, TimeProvider.System)), options);
    }

    [Fact]
    public async Task It_uploads_in_checksummed_chunks_and_confirms_the_receipt_against_its_own_sha256()
    {
        var (_, token) = await fixture.CreateKeyAsync();
        var (path, content) = await FileAsync(300_000);
        var wire = new FaultyHandler();

        var confirmed = await Client(token, wire).UploadAndConfirmAsync(path, new Dictionary<string, string> { ["filename"] = "clip.mp4", ["officer_id"] = "654321" }, null, Token);

        Assert.Equal(Tus.Sha256Hex(content), confirmed.Upload.Sha256.Hex);
        Assert.Equal(Tus.Sha256Hex(content), confirmed.Receipt.Sha256);
        var patches = wire.Sent.Where(r => r.Method == HttpMethod.Patch).ToList();
        Assert.Equal(5, patches.Count); // 4 × 64 KiB + the rest
        Assert.All(patches, p => Assert.StartsWith("sha256 ", p.Checksum, StringComparison.Ordinal));
    }

    [Fact]
    public async Task It_resumes_an_upload_begun_earlier_from_the_servers_offset_and_still_hashes_the_whole_file()
    {
        var (_, token) = await fixture.CreateKeyAsync();
        var (path, content) = await FileAsync(500_000);
        using var raw = fixture.Server.Client(token);
        var location = await Tus.CreateAsync(raw, content.Length);
        (await Tus.PatchAsync(raw, location, 0, content[..123_456])).Dispose();
        var wire = new FaultyHandler();

        var upload = await Client(token, wire).UploadAsync(path, new Uri(fixture.Server.BaseAddress, location), null, Token);

        Assert.Equal(Tus.Sha256Hex(content), upload.Sha256.Hex);
        Assert.Equal(123_456, wire.Sent.First(r => r.Method == HttpMethod.Patch).Offset);
        Assert.Equal(Tus.Sha256Hex(content), (await Tus.ReceiptAsync(raw, location)).Sha256);
    }

    [Fact]
    public async Task Network_failures_before_and_after_the_server_applied_a_chunk_are_retried_without_resending_or_losing_bytes()
    {
        var (_, token) = await fixture.CreateKeyAsync();
        var (path, content) = await FileAsync(400_000);
        var patches = 0;
        var wire = new FaultyHandler((request, sending) =>
        {
            if (request.Method != HttpMethod.Patch)
            {
                return Fault.None;
            }

            patches += sending ? 1 : 0;
            return patches switch
            {
                2 or 3 when sending => Fault.BeforeSending,
                5 when !sending => Fault.AfterResponse, // the chunk landed, the answer was lost
                _ => Fault.None,
            };
        });

        var confirmed = await Client(token, wire).UploadAndConfirmAsync(path, new Dictionary<string, string>(), null, Token);

        Assert.Equal(Tus.Sha256Hex(content), confirmed.Receipt.Sha256);
        var offsets = wire.Sent.Where(r => r.Method == HttpMethod.Patch && r.Delivered).Select(r => r.Offset).ToList();
        Assert.Equal(offsets.Distinct().Count(), offsets.Count);
        Assert.Contains(wire.Sent, r => r.Method == HttpMethod.Head && r.Delivered);
    }

    [Fact]
    public async Task It_gives_up_after_its_attempts_and_at_once_on_a_refusal()
    {
        var (_, token) = await fixture.CreateKeyAsync();
        var (path, _) = await FileAsync(10_000);
        var down = new FaultyHandler((request, sending) => request.Method == HttpMethod.Patch && sending ? Fault.BeforeSending : Fault.None);

        var gaveUp = await Assert.ThrowsAsync<TusUploadException>(() => Client(token, down, attempts: 3).UploadAndConfirmAsync(path, new Dictionary<string, string>(), null, Token));
        var refused = await Assert.ThrowsAsync<TusUploadException>(() => Client("em_bogus", new FaultyHandler()).UploadAndConfirmAsync(path, new Dictionary<string, string>(), null, Token));

        Assert.Contains("3 consecutive failures", gaveUp.Message, StringComparison.Ordinal);
        Assert.Equal(3, down.Sent.Count(r => r.Method == HttpMethod.Patch));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_chunk_refused_with_403_is_neither_sent_again_nor_resumed_and_the_upload_stops_at_once()
    {
        var (_, token) = await fixture.CreateKeyAsync();
        var (path, _) = await FileAsync(300_000);
        var patches = 0;
        var wire = new FaultyHandler((request, sending) => request.Method == HttpMethod.Patch && sending && ++patches == 2 ? Fault.Forbidden : Fault.None);

        var refused = await Assert.ThrowsAsync<TusUploadException>(() => Client(token, wire).UploadAndConfirmAsync(path, new Dictionary<string, string>(), null, Token));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("answered 403", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, wire.Sent.Count(r => r.Method == HttpMethod.Patch));
        Assert.Single(wire.Sent, r => r.Method == HttpMethod.Head); // the first, for the offset: no HEAD to resume after the refusal
    }

    private enum Fault
    {
        None,
        BeforeSending,
        AfterResponse,

        /// <summary>Answered 403 in the server's place; the request never reaches it.</summary>
        Forbidden,
    }

    private sealed record SentRequest(HttpMethod Method, long? Offset, string? Checksum, bool Delivered);

    /// <summary>The real network to the real server, with failures injected where a bad link would cause them.</summary>
    private sealed class FaultyHandler(Func<HttpRequestMessage, bool, Fault>? fault = null) : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<SentRequest> Sent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            long? offset = request.Headers.TryGetValues("Upload-Offset", out var values) ? long.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : null;
            var checksum = request.Headers.TryGetValues("Upload-Checksum", out var sums) ? sums.Single() : null;
            var before = fault?.Invoke(request, true);
            if (before is Fault.BeforeSending or Fault.Forbidden)
            {
                Sent.Add(new SentRequest(request.Method, offset, checksum, Delivered: false));
                return before == Fault.Forbidden
                    ? new HttpResponseMessage(HttpStatusCode.Forbidden) { RequestMessage = request, Content = new StringContent("refused (injected)") }
                    : throw new HttpRequestException("Connection reset by peer (injected)");
            }

            var response = await base.SendAsync(request, cancellationToken);
            Sent.Add(new SentRequest(request.Method, offset, checksum, Delivered: true));
            if (fault?.Invoke(request, false) == Fault.AfterResponse)
            {
                response.Dispose();
                throw new IOException("The response was lost (injected)");
            }

            return response;
        }
    }
}
