using System.Security.Cryptography;
using Enforcement.Media.Storage.Hashing;
using Minio;
using Minio.DataModel;
using Minio.DataModel.Args;

namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>
/// Streams one object into S3 through the MinIO SDK's <c>PutObjectAsync</c>, hashing the whole object
/// (SHA-256) and each of the SDK's parts (MD5) as the SDK reads them.
/// </summary>
/// <remarks>
/// <para>The SDK's public API has no multipart primitives (create, upload part, complete, abort are
/// private), so it decides the parts: one PUT under 5 MiB, otherwise parts of 16 MiB read and sent
/// one after another (its <c>MinimumPUTPartSize</c>), each in a fresh buffer. Over plain HTTP it
/// signs every body with its SHA-256 (SigV4 <c>x-amz-content-sha256</c>), which the server checks;
/// over HTTPS it always sends <c>UNSIGNED-PAYLOAD</c>. It sends no Content-MD5 and gives the caller
/// neither the parts' ETags nor the version id, so the object is checked here by a HEAD afterwards:
/// its ETag against the MD5s of what was sent (one PUT: the MD5; multipart: the MD5 of the parts'
/// MD5s, <c>-N</c>) and its size against what was read. The HEAD names the latest version of the
/// key: the key is this write's own (its write id), so no other writer puts a version between.</para>
/// <para>A failed multipart upload is left unfinished by the SDK; it is aborted here.</para>
/// </remarks>
internal sealed class MinioObjectWriter(IMinioClient minio, S3StoreOptions options)
{
    /// <summary>The SDK sends an object of this size or more as a multipart upload (<c>Constants.MinimumPartSize</c>).</summary>
    private const int SinglePutLimit = 5 * 1024 * 1024;

    /// <summary>The SDK's part size for a stream of unknown length (<c>Utils.CalculateMultiPartSize(-1)</c>).</summary>
    private const int SdkPartSize = 16 * 1024 * 1024;

    public async Task<PendingObject> WriteAsync(ObjectWrite write, string key, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var source = new PartDigestStream(content, SdkPartSize, cancellationToken);
        var first = new byte[SinglePutLimit];
        var firstLength = await FillAsync(source, first, cancellationToken);
        var contentType = write.ContentType ?? "application/octet-stream";
        try
        {
            if (firstLength < SinglePutLimit)
            {
                using var body = new MemoryStream(first, 0, firstLength, writable: false);
                var put = await minio.PutObjectAsync(
                    new PutObjectArgs().WithBucket(options.Bucket).WithObject(key).WithStreamData(body).WithObjectSize(firstLength).WithContentType(contentType),
                    cancellationToken);
                RequireEtag(key, put.Etag, source.ExpectedEtag());
            }
            else
            {
                // Unknown length: the SDK then reads parts until the stream ends, at most 3125 of them.
                using var body = new PrefixedStream(first, source);
                await minio.PutObjectAsync(
                    new PutObjectArgs().WithBucket(options.Bucket).WithObject(key).WithStreamData(body).WithObjectSize(-1).WithContentType(contentType)
                        .WithProgress(new PartsSent(progress)),
                    cancellationToken);

                // The SDK stops after its last part number (about 48.8 GiB) and completes what it sent.
                if (await source.ReadAsync(new byte[1], cancellationToken) != 0)
                {
                    throw new ObjectIntegrityException($"The S3 client stopped reading {key} after {source.Length - 1} bytes: the object stored would be cut short.");
                }
            }

            var stat = await minio.StatObjectAsync(new StatObjectArgs().WithBucket(options.Bucket).WithObject(key), cancellationToken);
            RequireEtag(key, stat.ETag, source.ExpectedEtag());
            if (stat.Size != source.Length)
            {
                throw new ObjectIntegrityException($"The S3 server holds {stat.Size} bytes of {key}, {source.Length} were sent.");
            }

            progress?.Report(source.Length);
            return new PendingObject(write, new ObjectRef(key, RequireVersion(key, stat.VersionId)), source.Sha256(), source.Length);
        }
        catch
        {
            await AbortQuietlyAsync(key);
            throw;
        }
    }

    private async Task AbortQuietlyAsync(string key)
    {
        // One try at most; the write's id is recorded by the caller and AbandonAsync removes what is left.
        using var deadline = new CancellationTokenSource(options.RequestTimeout);
        try
        {
            await minio.RemoveIncompleteUploadAsync(new RemoveIncompleteUploadArgs().WithBucket(options.Bucket).WithObject(key), deadline.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Left for AbandonAsync.
        }
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static void RequireEtag(string key, string? etag, string expected)
    {
        var actual = etag?.Trim('"');
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ObjectIntegrityException($"The S3 server confirmed {key} with ETag '{actual}', expected '{expected}': the bytes it holds are not the bytes sent.");
        }
    }

    private static string RequireVersion(string key, string? versionId) =>
        string.IsNullOrEmpty(versionId) || versionId == "null"
            ? throw new ObjectIntegrityException($"The S3 server stored {key} without a version id: the bucket is not versioned, so Object Lock cannot protect it.")
            : versionId;

    /// <summary>
    /// Reads the source in order, hashing every byte into the object's SHA-256 and into the MD5 of the
    /// part it falls in (parts of <paramref name="partSize"/>, as the SDK cuts them). Reads use the
    /// write's token: the SDK reads without one.
    /// </summary>
    private sealed class PartDigestStream(Stream inner, int partSize, CancellationToken cancellationToken) : Stream
    {
        private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly IncrementalHash _part = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private readonly List<byte[]> _partMd5s = [];
        private long _length;
        private long _inPart;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public Sha256Digest Sha256() => Sha256Digest.FromBytes(_whole.GetHashAndReset());

        /// <summary>One PUT: the MD5 of the bytes. Multipart: the MD5 of the parts' MD5s, then "-" and the part count.</summary>
        public string ExpectedEtag()
        {
            if (_length < SinglePutLimit)
            {
                return Convert.ToHexStringLower(_part.GetCurrentHash());
            }

            using var etag = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var count = _partMd5s.Count;
            foreach (var md5 in _partMd5s)
            {
                etag.AppendData(md5);
            }

            if (_inPart > 0 || _length == 0)
            {
                etag.AppendData(_part.GetCurrentHash());
                count++;
            }

            return $"{Convert.ToHexStringLower(etag.GetHashAndReset())}-{count}";
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ignored = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            var span = buffer.Span[..read];
            _whole.AppendData(span);
            while (!span.IsEmpty)
            {
                var take = (int)Math.Min(span.Length, partSize - _inPart);
                _part.AppendData(span[..take]);
                _inPart += take;
                span = span[take..];
                if (_inPart == partSize)
                {
                    _partMd5s.Add(_part.GetHashAndReset());
                    _inPart = 0;
                }
            }

            _length += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ignored) =>
            ReadAsync(buffer.AsMemory(offset, count), ignored).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _whole.Dispose();
                _part.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class PartsSent(IProgress<long>? progress) : IProgress<ProgressReport>
    {
        public void Report(ProgressReport value) => progress?.Report(value.TotalBytesTransferred);
    }

    /// <summary>The first block, already read (and hashed) to decide one PUT or many, then the rest of the source.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset < prefix.Length)
            {
                var take = Math.Min(buffer.Length, prefix.Length - _offset);
                prefix.AsMemory(_offset, take).CopyTo(buffer);
                _offset += take;
                return take;
            }

            return await rest.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
