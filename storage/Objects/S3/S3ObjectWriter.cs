using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>
/// Streams one object into S3 in a single read of the source: each part-sized block is hashed into
/// the whole object's SHA-256 in order, then uploaded (several parts in flight).
/// </summary>
/// <remarks>
/// <para>Every request is signed with its body's SHA-256 (SigV4 <c>x-amz-content-sha256</c>, never
/// <c>UNSIGNED-PAYLOAD</c>), which AWS, MinIO and Ceph RGW all recompute and check before they store
/// a byte (a body altered on the way is refused: <c>S3EvidenceStoreTests</c>). That is the check
/// every server makes, so a part carries nothing else by default: Content-MD5 is enforced by
/// AWS and RGW only, <c>x-amz-checksum-sha256</c> by AWS and MinIO only, and computing both cost 2.4 s
/// of a core per GiB on top of the signature's own pass, on a machine whose other core runs the S3
/// server (README, "Benchmarks"). <see cref="S3StoreOptions.SendSha256Checksums"/> adds the
/// checksum for servers that keep it with the object.</para>
/// <para>A single PUT (a small object) also carries Content-MD5 and its ETag must equal that MD5; a
/// multipart object's ETag must be the MD5 of the ETags the server gave its parts followed by
/// <c>-N</c>, so the object completed is exactly the parts confirmed, in order.</para>
/// <para>No request is chunk-encoded: <c>aws-chunked</c> signs (and makes the server verify) every
/// 64 KiB chunk separately, about a second of the server's CPU per GiB on Ceph RGW for the same
/// guarantee.</para>
/// </remarks>
internal sealed class S3ObjectWriter(IAmazonS3 s3, S3StoreOptions options)
{
    public Task<PendingObject> WriteAsync(ObjectWrite write, string key, Stream content, IProgress<long>? progress, CancellationToken cancellationToken) =>
        S3Failures.NamingTimeoutsAsync(
            () => PutAsync(write, key, content, progress, cancellationToken),
            options,
            $"store {key}",
            "the write is given up (anything of it the server took later goes when the write is abandoned)",
            cancellationToken);

    private async Task<PendingObject> PutAsync(ObjectWrite write, string key, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var partSize = Math.Max(options.PartSizeBytes, 5 * 1024 * 1024);
        var first = ArrayPool<byte>.Shared.Rent(partSize);
        try
        {
            var firstLength = await FillAsync(content, first, partSize, cancellationToken);
            if (firstLength < partSize)
            {
                return await PutSingleAsync(write, key, first, firstLength, progress, cancellationToken);
            }

            var buffer = first;
            first = null; // ownership moves to the multipart upload
            return await PutMultipartAsync(write, key, buffer, content, partSize, progress, cancellationToken);
        }
        finally
        {
            if (first is not null)
            {
                ArrayPool<byte>.Shared.Return(first);
            }
        }
    }

    private async Task<PendingObject> PutSingleAsync(ObjectWrite write, string key, byte[] buffer, int length, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // SHA-256 (the identity) and MD5 (S3's Content-MD5 and ETag check, never identity) over one
        // slice at a time while it is in the CPU's cache, as the parts of a larger object are hashed.
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5Hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        for (var offset = 0; offset < length; offset += HashingCopier.SliceSize)
        {
            var slice = buffer.AsSpan(offset, Math.Min(HashingCopier.SliceSize, length - offset));
            whole.AppendData(slice);
            md5Hash.AppendData(slice);
        }

        var md5 = md5Hash.GetHashAndReset();
        var sha256 = Sha256Digest.FromBytes(whole.GetHashAndReset());
        using var stream = new MemoryStream(buffer, 0, length, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = options.Bucket,
            Key = key,
            InputStream = stream,
            ContentType = write.ContentType ?? "application/octet-stream",
            MD5Digest = Convert.ToBase64String(md5),
            ChecksumSHA256 = options.SendSha256Checksums ? sha256.ToBase64() : null,
            UseChunkEncoding = false,
            DisablePayloadSigning = false,
        };
        var response = await s3.PutObjectAsync(request, cancellationToken);
        RequireEtag(key, response.ETag, Convert.ToHexStringLower(md5));
        progress?.Report(length);
        return new PendingObject(write, new ObjectRef(key, RequireVersion(key, response.VersionId)), sha256, length);
    }

    private async Task<PendingObject> PutMultipartAsync(
        ObjectWrite write, string key, byte[] firstPart, Stream content, int partSize, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var initiated = await s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = key,
                ContentType = write.ContentType ?? "application/octet-stream",
                ChecksumAlgorithm = options.SendSha256Checksums ? ChecksumAlgorithm.SHA256 : null,
            },
            cancellationToken);
        var uploadId = initiated.UploadId;

        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentParts));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var uploads = new List<Task<UploadedPart>>();
        var length = 0L;
        var uploaded = 0L;
        byte[]? buffer = firstPart;
        var filled = partSize;
        try
        {
            for (var partNumber = 1; filled > 0; partNumber++)
            {
                // In order, on this thread: the whole-object digest needs the bytes in sequence.
                var sha256 = HashPart(buffer!.AsSpan(0, filled), whole, options.SendSha256Checksums);
                length += filled;

                await slots.WaitAsync(failed.Token);
                var part = new PartBuffer(partNumber, buffer!, filled, sha256);
                buffer = null;
                uploads.Add(UploadPartAsync(key, uploadId, part, slots, failed, () => progress?.Report(Interlocked.Add(ref uploaded, part.Length))));

                buffer = ArrayPool<byte>.Shared.Rent(partSize);
                filled = await FillAsync(content, buffer, partSize, failed.Token);
            }

            var parts = await Task.WhenAll(uploads);
            var complete = await s3.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartETags = [.. parts.OrderBy(p => p.Number).Select(p => p.ToPartETag())],
                },
                cancellationToken);
            var location = new ObjectRef(key, RequireVersion(key, complete.VersionId));
            RequireEtag(key, await CompletedEtagAsync(location, complete.ETag, cancellationToken), MultipartEtag(parts));
            return new PendingObject(write, location, Sha256Digest.FromBytes(whole.GetHashAndReset()), length);
        }
        catch (Exception caught)
        {
            await failed.CancelAsync();
            await Task.WhenAll(uploads.Select(u => u.ContinueWith(static _ => { }, TaskScheduler.Default)));
            await AbortQuietlyAsync(key, uploadId);

            // A part that failed cancels the reading loop and the other parts: report why that part
            // failed, not the cancellation it caused.
            if (caught is OperationCanceledException && !cancellationToken.IsCancellationRequested
                && uploads.FirstOrDefault(u => u.IsFaulted)?.Exception?.InnerException is { } cause)
            {
                ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task<UploadedPart> UploadPartAsync(
        string key, string uploadId, PartBuffer part, SemaphoreSlim slots, CancellationTokenSource failed, Action reportProgress)
    {
        try
        {
            // Off the reading thread, so the next part is read and hashed while this one is sent.
            await Task.Yield();
            using var stream = new MemoryStream(part.Buffer, 0, part.Length, writable: false);
            var response = await s3.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = part.Number,
                    PartSize = part.Length,
                    InputStream = stream,
                    ChecksumSHA256 = part.Sha256,
                    UseChunkEncoding = false,
                    DisablePayloadSigning = false,
                },
                failed.Token);
            reportProgress();
            return new UploadedPart(part.Number, RequirePartEtag(key, part.Number, response.ETag), part.Sha256);
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(part.Buffer);
            slots.Release();
        }
    }

    /// <summary>Ceph RGW 16 answers CompleteMultipartUpload with an empty ETag; the stored version's HEAD has it.</summary>
    private async Task<string?> CompletedEtagAsync(ObjectRef location, string? completeEtag, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(completeEtag?.Trim('"')))
        {
            return completeEtag;
        }

        var head = await s3.GetObjectMetadataAsync(
            new GetObjectMetadataRequest { BucketName = options.Bucket, Key = location.Key, VersionId = location.VersionId }, cancellationToken);
        return head.ETag;
    }

    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        // One try at most, however the upload failed: a server that stopped answering would otherwise
        // hold the failure back for another round of retries.
        using var deadline = new CancellationTokenSource(options.RequestTimeout);
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId }, deadline.Token);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or OperationCanceledException)
        {
            // The write's id is recorded by the caller; AbandonAsync cleans up what is left.
        }
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < size)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    /// <summary>
    /// Adds a part to the whole object's SHA-256 and, when the checksum is sent, computes the part's
    /// own (base64). Both run over one slice at a time while it is in the CPU's cache, rather than two
    /// passes over the whole part (see <see cref="HashingCopier"/>).
    /// </summary>
    private static string? HashPart(ReadOnlySpan<byte> part, IncrementalHash whole, bool partSha256)
    {
        if (!partSha256)
        {
            whole.AppendData(part);
            return null;
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var offset = 0; offset < part.Length; offset += HashingCopier.SliceSize)
        {
            var slice = part.Slice(offset, Math.Min(HashingCopier.SliceSize, part.Length - offset));
            whole.AppendData(slice);
            sha256.AppendData(slice);
        }

        return Convert.ToBase64String(sha256.GetHashAndReset());
    }

    /// <summary>The ETag S3 gives a multipart object: MD5 of the concatenated part ETags (each the part's MD5), then "-" and the part count.</summary>
    private static string MultipartEtag(IReadOnlyCollection<UploadedPart> parts)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var part in parts.OrderBy(p => p.Number))
        {
            md5.AppendData(Convert.FromHexString(part.ETag));
        }

        return $"{Convert.ToHexStringLower(md5.GetHashAndReset())}-{parts.Count}";
    }

    /// <summary>A part's ETag is the MD5 the server computed of the bytes it stored: 32 hex digits, or the object's ETag cannot be checked.</summary>
    private static string RequirePartEtag(string key, int number, string? etag)
    {
        var value = etag?.Trim('"') ?? string.Empty;
        return value.Length == 32 && value.All(char.IsAsciiHexDigit)
            ? value
            : throw new ObjectIntegrityException($"The S3 server confirmed {key} part {number} with ETag '{value}', which is not an MD5: the completed object could not be checked against its parts.");
    }

    private static void RequireEtag(string what, string? etag, string expected)
    {
        var actual = etag?.Trim('"');
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ObjectIntegrityException($"The S3 server confirmed {what} with ETag '{actual}', expected '{expected}': the bytes it holds are not the bytes sent.");
        }
    }

    private static string RequireVersion(string key, string? versionId) =>
        string.IsNullOrEmpty(versionId) || versionId == "null"
            ? throw new ObjectIntegrityException($"The S3 server stored {key} without a version id: the bucket is not versioned, so Object Lock cannot protect it.")
            : versionId;

    private sealed record PartBuffer(int Number, byte[] Buffer, int Length, string? Sha256);

    /// <param name="ETag">The part's ETag as the server gave it, without quotes: the MD5 of the bytes it stored.</param>
    private sealed record UploadedPart(int Number, string ETag, string? Sha256)
    {
        public PartETag ToPartETag() => new() { PartNumber = Number, ETag = $"\"{ETag}\"", ChecksumSHA256 = Sha256 };
    }
}
