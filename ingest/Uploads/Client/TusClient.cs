using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>
/// A tus 1.0.0 client for the ingest server (the docking-station agent's uploader): creates an
/// upload, resumes from the server's offset, sends chunks each with <c>Upload-Checksum: sha256</c>,
/// retries network failures with backoff, and computes the file's SHA-256 during its single read of
/// the file so the receipt can be checked against it before anything deletes the original.
/// </summary>
/// <remarks>
/// One chunk buffer is held; a chunk the server did not confirm is resent from memory, never re-read.
/// Resuming an upload begun earlier reads the bytes already sent only to hash them.
/// </remarks>
public sealed class TusClient(HttpClient http, TusClientOptions options, TimeProvider? time = null)
{
    private static readonly MediaTypeHeaderValue OffsetOctetStream = new(TusProtocol.OffsetOctetStream);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

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
    public Task<Uri> CreateAsync(long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        WithRetriesAsync(
            async () =>
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
            },
            cancellationToken);

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
        var failures = 0;

        var offset = await WithRetriesAsync(() => HeadAsync(location, length, cancellationToken), cancellationToken);
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

            var sliceStart = (int)(offset - chunkStart);
            try
            {
                offset = await PatchAsync(location, offset, buffer, sliceStart, chunkLength - sliceStart, cancellationToken);
                failures = 0;
                progress?.Report(offset);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                await BackOffAsync(++failures, ex, cancellationToken);

                // Ask where the server stands: the chunk may have landed whole, in part, or not at all.
                offset = await WithRetriesAsync(() => HeadAsync(location, length, cancellationToken), cancellationToken);
            }
        }

        hashed = await HashThroughAsync(file, sha256, hashed, length, buffer, cancellationToken);
        return new TusUpload(location, Sha256Digest.FromBytes(sha256.GetHashAndReset()), hashed);
    }

    /// <summary>Waits until the server has archived the upload and returns its receipt.</summary>
    public Task<Receipt> WaitForReceiptAsync(Uri location, CancellationToken cancellationToken) =>
        WithRetriesAsync(
            async () =>
            {
                while (true)
                {
                    using var request = Request(HttpMethod.Get, new Uri($"{location.AbsoluteUri.TrimEnd('/')}/receipt"));
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
            },
            cancellationToken);

    /// <summary>tus creation: comma-separated <c>key base64(UTF-8 value)</c> pairs.</summary>
    public static string EncodeMetadata(IReadOnlyDictionary<string, string> metadata) =>
        string.Join(',', metadata.Select(pair => pair.Value.Length == 0 ? pair.Key : $"{pair.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Value))}"));

    private async Task<long> HeadAsync(Uri location, long length, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Head, location);
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

    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                return await send();
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                await BackOffAsync(++failures, ex, cancellationToken);
            }
        }
    }

    private async Task BackOffAsync(int failures, Exception failure, CancellationToken cancellationToken)
    {
        if (failures >= options.MaxAttempts)
        {
            throw new TusUploadException($"Giving up after {failures} consecutive failures; the last: {failure.Message}", (failure as ServerAnswer)?.StatusCode, failure);
        }

        var delay = options.RetryDelay * Math.Pow(2, failures - 1);
        await Task.Delay(delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay, _time, cancellationToken);
    }

    /// <summary>Worth another try: the network failed, the server timed out, or it answered with a status tus clients retry.</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        ServerAnswer => true,
        HttpRequestException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient's own timeout
        _ => false,
    };

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var retryable = status >= 500 || status is 409 or 423 or 429 or TusProtocol.ChecksumMismatch;
        var message = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {status}: {(body.Length > 500 ? body[..500] : body)}";
        throw retryable ? new ServerAnswer(message, response.StatusCode) : new TusUploadException(message, response.StatusCode);
    }

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

    /// <summary>A status worth retrying (5xx, 409, 423, 429, 460); kept inside the client.</summary>
    private sealed class ServerAnswer(string message, HttpStatusCode statusCode) : Exception(message)
    {
        public HttpStatusCode StatusCode { get; } = statusCode;
    }
}
