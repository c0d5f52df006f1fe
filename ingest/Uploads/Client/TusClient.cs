using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Hashing;
using Polly;

namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>
/// A tus 1.0.0 client for the ingest server (the docking-station agent's uploader): creates an
/// upload, resumes from the server's offset, sends chunks each with <c>Upload-Checksum: sha256</c>,
/// and computes the file's SHA-256 during its single read of the file so the receipt can be checked
/// against it before anything deletes the original. Transient faults are retried as
/// <see cref="TusRetries"/> describes: requests that may be repeated by the <see cref="HttpClient"/>'s
/// handler (<see cref="TusRetries.Handler"/>), a failed PATCH here, by asking the server where it stands.
/// </summary>
/// <remarks>
/// One chunk buffer is held; a chunk the server did not confirm is resent from memory, never re-read.
/// Resuming an upload begun earlier reads the bytes already sent only to hash them.
/// </remarks>
public sealed class TusClient(HttpClient http, TusClientOptions options, TimeProvider? time = null)
{
    private static readonly MediaTypeHeaderValue OffsetOctetStream = new(TusProtocol.OffsetOctetStream);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ResiliencePipeline _resumes = TusRetries.Resumes(options, time ?? TimeProvider.System);

    /// <summary>Creates, uploads and waits for the receipt; throws unless the receipt's SHA-256 is the one computed here.</summary>
    public async Task<TusConfirmedUpload> UploadAndConfirmAsync(string path, IReadOnlyDictionary<string, string> metadata, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var location = await CreateAsync(new FileInfo(path).Length, metadata, cancellationToken);
        var upload = await UploadAsync(path, location, progress, cancellationToken);
        var receipt = await WaitForReceiptAsync(location, cancellationToken);
        if (!Sha256Digest.TryParse(receipt.Sha256, out var held) || held != upload.Sha256 || receipt.Size != upload.Length)
        {
            throw new TusUploadException($"The receipt for {location} names SHA-256 {receipt.Sha256} ({receipt.Size} bytes), but the file read here is {upload.Sha256.Hex} ({upload.Length} bytes): keep the original.");
        }

        return new TusConfirmedUpload(upload, receipt);
    }

    /// <summary>Creates an upload of <paramref name="length"/> bytes; keep the URL to resume it after a restart.</summary>
    public async Task<Uri> CreateAsync(long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, options.Endpoint);
        request.Headers.Add(TusProtocol.UploadLength, length.ToString(CultureInfo.InvariantCulture));
        if (metadata.Count > 0)
        {
            request.Headers.Add(TusProtocol.UploadMetadata, EncodeMetadata(metadata));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        var location = response.Headers.Location ?? throw new TusUploadException("The server created an upload but sent no Location.");
        return location.IsAbsoluteUri ? location : new Uri(options.Endpoint, location);
    }

    /// <summary>
    /// Sends the file to an existing upload from wherever the server says it stands (0 for a new one)
    /// and returns the file's SHA-256, computed while reading it once.
    /// </summary>
    public async Task<TusUpload> UploadAsync(string path, Uri location, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        var length = file.Length;
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Math.Max(1, options.ChunkSizeBytes)];
        var hashed = 0L;
        var chunkStart = 0L;
        var chunkLength = 0;

        var offset = await HeadAsync(location, length, retriedHere: false, cancellationToken);
        progress?.Report(offset);
        while (offset < length)
        {
            if (offset < chunkStart || offset >= chunkStart + chunkLength)
            {
                hashed = await HashThroughAsync(file, sha256, hashed, offset, buffer, cancellationToken);
                file.Position = offset;
                chunkStart = offset;
                chunkLength = await FillAsync(file, buffer, (int)Math.Min(buffer.Length, length - offset), cancellationToken);
                if (hashed < chunkStart + chunkLength)
                {
                    var from = (int)(hashed - chunkStart);
                    sha256.AppendData(buffer, from, chunkLength - from);
                    hashed = chunkStart + chunkLength;
                }
            }

            offset = await SendChunkAsync(location, length, offset, buffer, chunkStart, chunkLength, cancellationToken);
            progress?.Report(offset);
        }

        hashed = await HashThroughAsync(file, sha256, hashed, length, buffer, cancellationToken);
        return new TusUpload(location, Sha256Digest.FromBytes(sha256.GetHashAndReset()), hashed);
    }

    /// <summary>Waits until the server has archived the upload and returns its receipt.</summary>
    public async Task<Receipt> WaitForReceiptAsync(Uri location, CancellationToken cancellationToken)
    {
        var receiptUri = new Uri($"{location.AbsoluteUri.TrimEnd('/')}/receipt");
        while (true)
        {
            using var request = Request(HttpMethod.Get, receiptUri);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                await Task.Delay(options.ReceiptPollInterval, _time, cancellationToken);
                continue;
            }

            await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
            return await response.Content.ReadFromJsonAsync<Receipt>(cancellationToken)
                ?? throw new TusUploadException($"The server sent an empty receipt for {location}.");
        }
    }

    /// <summary>tus creation: comma-separated <c>key base64(UTF-8 value)</c> pairs.</summary>
    public static string EncodeMetadata(IReadOnlyDictionary<string, string> metadata) =>
        string.Join(',', metadata.Select(pair => pair.Value.Length == 0 ? pair.Key : $"{pair.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Value))}"));

    /// <summary>
    /// PATCHes the buffered chunk <c>[chunkStart, chunkStart + chunkLength)</c> from <paramref name="offset"/>
    /// and returns the server's new offset. A failed attempt is never replayed as it was: the next one
    /// asks the server where it stands (HEAD) and sends what it lacks from there, or returns that offset
    /// when it lies outside this chunk (the chunk landed after all) for the caller to read on from.
    /// </summary>
    private async Task<long> SendChunkAsync(Uri location, long length, long offset, byte[] buffer, long chunkStart, int chunkLength, CancellationToken cancellationToken)
    {
        var attempted = false;
        try
        {
            return await _resumes.ExecuteAsync(
                async token =>
                {
                    var from = attempted ? await HeadAsync(location, length, retriedHere: true, token) : offset;
                    attempted = true;
                    if (from < chunkStart || from >= chunkStart + chunkLength)
                    {
                        return from;
                    }

                    var start = (int)(from - chunkStart);
                    return await PatchAsync(location, from, buffer, start, chunkLength - start, token);
                },
                cancellationToken);
        }
        catch (Exception ex) when (TusRetries.IsTransient(ex, cancellationToken))
        {
            throw new TusUploadException($"Giving up after {options.MaxAttempts} consecutive failures; the last: {ex.Message}", (ex as ResumableAnswer)?.StatusCode, ex);
        }
    }

    /// <param name="retriedHere">The caller retries it (see <see cref="SendChunkAsync"/>): the handler sends it once.</param>
    private async Task<long> HeadAsync(Uri location, long length, bool retriedHere, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Head, location);
        request.Options.Set(TusRetries.RetriedByCaller, retriedHere);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        var serverLength = HeaderNumber(response, TusProtocol.UploadLength);
        if (serverLength != length)
        {
            throw new TusUploadException($"{location} expects {serverLength} bytes but the file has {length}: it is not this file's upload.");
        }

        return HeaderNumber(response, TusProtocol.UploadOffset);
    }

    private async Task<long> PatchAsync(Uri location, long offset, byte[] buffer, int start, int count, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Patch, location);
        request.Headers.Add(TusProtocol.UploadOffset, offset.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(TusProtocol.UploadChecksum, $"sha256 {Convert.ToBase64String(SHA256.HashData(buffer.AsSpan(start, count)))}");
        request.Content = new ByteArrayContent(buffer, start, count);
        request.Content.Headers.ContentType = OffsetOctetStream;
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.NoContent, cancellationToken);
        return HeaderNumber(response, TusProtocol.UploadOffset);
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add(TusProtocol.TusResumable, TusProtocol.Version);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        return request;
    }

    /// <summary>
    /// Throws unless the server answered <paramref name="expected"/>. A PATCH refused with a status tus
    /// recovers from is a <see cref="ResumableAnswer"/>, for <see cref="SendChunkAsync"/>'s next attempt;
    /// everything else has had its retries in the handler already, or is a refusal no retry changes.
    /// </summary>
    private async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {(body.Length > 500 ? body[..500] : body)}";
        throw response.RequestMessage?.Method == HttpMethod.Patch && TusRetries.ResumesAfter(response.StatusCode)
            ? new ResumableAnswer(message, response.StatusCode, RetryAfter(response))
            : new TusUploadException(message, response.StatusCode);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow(),
        _ => null,
    };

    private static long HeaderNumber(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new TusUploadException($"The server's answer to {response.RequestMessage?.Method} has no valid {name} header.");

    /// <summary>Reads <c>[hashed, upTo)</c> only to hash it: the bytes a previous run already sent.</summary>
    private static async Task<long> HashThroughAsync(FileStream file, IncrementalHash sha256, long hashed, long upTo, byte[] buffer, CancellationToken cancellationToken)
    {
        file.Position = hashed;
        while (hashed < upTo)
        {
            var read = await FillAsync(file, buffer, (int)Math.Min(buffer.Length, upTo - hashed), cancellationToken);
            sha256.AppendData(buffer, 0, read);
            hashed += read;
        }

        return hashed;
    }

    private static async Task<int> FillAsync(FileStream file, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await file.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken);
            if (read == 0)
            {
                throw new TusUploadException($"{file.Name} became shorter while it was being uploaded.");
            }

            filled += read;
        }

        return filled;
    }
}
