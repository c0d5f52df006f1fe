using System.Globalization;
using System.Text.Json;
using Enforcement.Media.Ingest.ApiKeys;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Stations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Ingest.Uploads;

/// <summary>
/// The tus 1.0.0 server (core, creation, termination, checksum) at <c>/api/v1/uploads</c>, and the
/// receipts a client needs before it may delete its copy. See https://tus.io/protocols/resumable-upload.
/// </summary>
public static partial class UploadEndpoints
{
    public static IEndpointRouteBuilder MapUploadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(UploadPaths.Root, [HttpMethods.Options], Options);

        var uploads = app.MapGroup(UploadPaths.Root).AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter(new KeyKindFilter(ApiKeyKind.Station, ApiKeyKind.Device));
        var tus = uploads.MapGroup(string.Empty).AddEndpointFilter<TusResumableFilter>();
        tus.MapPost(string.Empty, CreateAsync);
        tus.MapMethods("{id}", [HttpMethods.Head], HeadAsync);
        tus.MapPatch("{id}", PatchAsync);
        tus.MapDelete("{id}", DeleteAsync);
        uploads.MapGet("{id}/receipt", UploadReceiptAsync);

        app.MapGet("/api/v1/receipts/{sha256}", ReceiptAsync).AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter(new KeyKindFilter(ApiKeyKind.Station)
        {
            Instead = $"A device key gets the receipt of each of its own uploads at GET {UploadPaths.Root}/{{id}}/receipt.",
        });
        return app;
    }

    /// <summary>Discovery: no key needed, it only tells what this server speaks.</summary>
    internal static IResult Options(HttpContext context, IOptions<UploadOptions> options)
    {
        var headers = context.Response.Headers;
        headers[TusProtocol.TusVersion] = TusProtocol.Version;
        headers[TusProtocol.TusExtension] = TusProtocol.Extensions;
        headers[TusProtocol.TusMaxSize] = options.Value.MaxSizeBytes.ToString(CultureInfo.InvariantCulture);
        headers[TusProtocol.TusChecksumAlgorithm] = TusProtocol.ChecksumAlgorithms;
        return TypedResults.NoContent();
    }

    internal static async Task<IResult> CreateAsync(
        HttpContext context, UploadStore uploads, StagingArea staging, IOptions<UploadOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var key = ApiKeyFilter.KeyOf(context);
        var request = context.Request;
        if (!TryReadNonNegative(request.Headers[TusProtocol.UploadLength], out var length))
        {
            return Problem(StatusCodes.Status400BadRequest, request.Headers.ContainsKey(TusProtocol.UploadDeferLength)
                ? "Upload-Defer-Length is not supported here: send Upload-Length, the file's size in bytes."
                : "Upload-Length is required: the file's size in bytes, a non-negative integer.");
        }

        if (length > options.Value.MaxSizeBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"Upload-Length {length} is over this server's limit of {options.Value.MaxSizeBytes} bytes (Tus-Max-Size).");
        }

        string? metadataHeader = request.Headers[TusProtocol.UploadMetadata];
        if (!UploadMetadata.TryParse(metadataHeader, out var metadata, out var problem))
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        var id = Guid.CreateVersion7(time.GetUtcNow());
        staging.Create(id);
        CreateOutcome outcome;
        try
        {
            // Refused here rather than when the disk fills: what open uploads may still send is promised space.
            outcome = await uploads.CreateAsync(id, key, length, string.IsNullOrWhiteSpace(metadataHeader) ? null : metadataHeader, metadata, cancellationToken);
        }
        catch
        {
            staging.Delete(id);
            throw;
        }

        var (logger, keyName, fileName, limit) = (loggers.CreateLogger(typeof(UploadEndpoints)), key.Name, metadata.FileName, options.Value.MaxPendingBytesPerKey);
        if (outcome.Result != CreateResult.Created)
        {
            staging.Delete(id);
            if (outcome.Result == CreateResult.InsufficientStorage)
            {
                return Problem(StatusCodes.Status507InsufficientStorage, "The staging disk has too little free space for this upload now; try again later.");
            }

            // 507, as WebDAV answers a request over its quota (RFC 4331): tus clients retry a 5xx,
            // and this refusal clears as the key's own uploads are archived or terminated.
            LogKeyLimitReached(logger, keyName, outcome.PendingBytes, length, limit);
            return Problem(
                StatusCodes.Status507InsufficientStorage,
                $"This key already has {outcome.PendingBytes} bytes in uploads not yet archived; {length} more would pass its limit of {limit} bytes. "
                + "Finish its open uploads (HEAD each for its offset, PATCH the rest) or terminate the ones it will not finish (DELETE), then create this one again.");
        }

        LogCreated(logger, id, keyName, length, fileName);
        if (length > 0)
        {
            // Until its first byte arrives, an upload ends after ExpireUnstartedAfter (tus expiration).
            Expires(context, time, options.Value.ExpireUnstartedAfter);
        }

        return TypedResults.Created($"{request.PathBase}{UploadPaths.Of(id)}");
    }

    internal static async Task<IResult> HeadAsync(string id, HttpContext context, UploadStore uploads, CancellationToken cancellationToken)
    {
        var upload = await FindAsync(id, context, uploads, cancellationToken);
        if (upload is null)
        {
            return NotFound();
        }

        var headers = context.Response.Headers;
        headers[TusProtocol.UploadOffset] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        headers[TusProtocol.UploadLength] = upload.Length.ToString(CultureInfo.InvariantCulture);
        headers.CacheControl = "no-store";
        if (upload.MetadataHeader is { } metadata)
        {
            headers[TusProtocol.UploadMetadata] = metadata;
        }

        return TypedResults.Ok();
    }

    internal static async Task<IResult> PatchAsync(
        string id, HttpContext context, UploadStore uploads, ChunkReceiver receiver, IOptions<UploadOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var upload = await FindAsync(id, context, uploads, cancellationToken);
        if (upload is null)
        {
            return NotFound();
        }

        if (!string.Equals(request.ContentType, TusProtocol.OffsetOctetStream, StringComparison.OrdinalIgnoreCase))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, $"A PATCH body must be sent as Content-Type: {TusProtocol.OffsetOctetStream}.");
        }

        if (!TryReadNonNegative(request.Headers[TusProtocol.UploadOffset], out var offset))
        {
            return Problem(StatusCodes.Status400BadRequest, "Upload-Offset is required: the byte offset this chunk starts at, a non-negative integer.");
        }

        ChunkChecksum? checksum = null;
        if (request.Headers[TusProtocol.UploadChecksum].ToString() is { Length: > 0 } checksumHeader && !ChunkChecksum.TryParse(checksumHeader, out checksum, out var problem))
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        // A chunk may be the whole file (tus-js-client's default): no size limit, the body is streamed.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var outcome = await receiver.ReceiveAsync(upload, offset, checksum, request.Body, request.ContentLength, context.RequestAborted);
        context.Response.Headers[TusProtocol.UploadOffset] = outcome.Offset.ToString(CultureInfo.InvariantCulture);
        if (outcome.Result == PatchResult.Appended && outcome.Offset > offset && outcome.Offset < upload.Length)
        {
            Expires(context, time, options.Value.ExpireAfter);
        }

        return outcome.Result switch
        {
            PatchResult.Appended => TypedResults.NoContent(),
            PatchResult.NotFound => NotFound(),
            PatchResult.Locked => Problem(StatusCodes.Status423Locked, "Another request is writing to this upload; retry after it ends."),
            PatchResult.OffsetMismatch => Problem(StatusCodes.Status409Conflict, $"Upload-Offset {offset} does not match the upload's offset {outcome.Offset}: HEAD it and resume from there."),
            PatchResult.ChecksumMismatch => Problem(TusProtocol.ChecksumMismatch, "The chunk does not match its Upload-Checksum; it was discarded and the offset is unchanged."),
            PatchResult.TooLong => Problem(StatusCodes.Status413PayloadTooLarge, $"The chunk goes past Upload-Length {upload.Length}; it was discarded."),
            PatchResult.InsufficientStorage => Problem(StatusCodes.Status507InsufficientStorage, "The staging disk has too little free space; the bytes confirmed so far are kept. Retry later."),
            _ => Problem(StatusCodes.Status400BadRequest, "The request body ended before its end; the bytes that arrived are accounted for in Upload-Offset."),
        };
    }

    /// <summary>tus expiration: when this upload ends unless it is advanced again (the request just created or advanced it).</summary>
    private static void Expires(HttpContext context, TimeProvider time, TimeSpan after) =>
        context.Response.Headers[TusProtocol.UploadExpires] = (time.GetUtcNow() + after).ToString("R", CultureInfo.InvariantCulture);

    internal static async Task<IResult> DeleteAsync(string id, HttpContext context, UploadStore uploads, StagingArea staging, CancellationToken cancellationToken)
    {
        var upload = await FindAsync(id, context, uploads, cancellationToken);
        if (upload is null)
        {
            return NotFound();
        }

        if (upload.IsComplete)
        {
            return Problem(StatusCodes.Status409Conflict, "This upload is complete: it is archived as evidence and cannot be terminated.");
        }

        await using (var file = staging.TryOpenExclusive(upload.Id))
        {
            if (file is null)
            {
                return Problem(StatusCodes.Status423Locked, "A PATCH is writing to this upload; retry after it ends.");
            }

            if (!await uploads.TerminateAsync(upload, ApiKeyFilter.KeyOf(context), cancellationToken))
            {
                return Problem(StatusCodes.Status409Conflict, "This upload completed meanwhile: it is archived as evidence and cannot be terminated.");
            }

            staging.Delete(upload.Id);
        }

        return TypedResults.NoContent();
    }

    /// <summary>200 with the receipt once archived; 202 while the archive job has yet to commit it; 409 while bytes are missing.</summary>
    internal static async Task<IResult> UploadReceiptAsync(string id, HttpContext context, UploadStore uploads, CancellationToken cancellationToken)
    {
        var upload = await FindAsync(id, context, uploads, cancellationToken);
        if (upload is null)
        {
            return NotFound();
        }

        if (upload.ReceiptJson is { } json && JsonSerializer.Deserialize<Receipt>(json, UploadJson.Options) is { } receipt)
        {
            // Receipts recorded before receipts named stores publicly carry the filesystem store's folder.
            context.SetRecording(receipt.RecordingId);
            return TypedResults.Ok(receipt with { Store = PublicStoreName.Of(receipt.Store) });
        }

        if (!upload.IsComplete)
        {
            return Problem(StatusCodes.Status409Conflict, $"The upload is not complete: {upload.Offset} of {upload.Length} bytes received.");
        }

        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Accepted((string?)null, new { status = "archiving", upload.Length, upload.CompletedAt });
    }

    /// <summary>
    /// The catalogue's receipt for content, by its SHA-256 (64 hex digits), as a docking station
    /// checks it again before wiping a recorder — for content any of the station's keys delivered (a
    /// station whose key was replaced still finds what it sent before). Station keys only: a device
    /// has the receipt of each of its uploads, and a question by content is one more way to probe the
    /// archive. Content delivered only by others is answered exactly like content not held (404), so a
    /// station cannot ask whether the archive holds footage it never sent.
    /// </summary>
    internal static async Task<IResult> ReceiptAsync(string sha256, HttpContext context, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (sha256.Length != 64 || !Sha256Digest.TryParse(sha256, out var digest))
        {
            return Problem(StatusCodes.Status400BadRequest, "A SHA-256 digest is 64 hexadecimal characters.");
        }

        var key = ApiKeyFilter.KeyOf(context);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var held = await RecordingStore.FindBySha256Async(connection, null, digest, cancellationToken);
        if (held is null || !await RecordingStore.DeliveredByKeyAsync(connection, held.RecordingId, key.Id, key.StationId, cancellationToken))
        {
            return Problem(StatusCodes.Status404NotFound, $"This station delivered no recording with SHA-256 {digest.Hex}.");
        }

        context.SetRecording(held.RecordingId);
        return TypedResults.Ok(Receipt.From(held));
    }

    private static async Task<Upload?> FindAsync(string id, HttpContext context, UploadStore uploads, CancellationToken cancellationToken) =>
        UploadPaths.TryParseId(id, out var uploadId)
            ? await uploads.FindAsync(uploadId, ApiKeyFilter.KeyOf(context).Id, cancellationToken)
            : null;

    private static bool TryReadNonNegative(string? text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static ProblemHttpResult NotFound() => Problem(StatusCodes.Status404NotFound, "No such upload for this key.");

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(statusCode: status, detail: detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} created by key {KeyName}: {Length} bytes of {FileName}")]
    private static partial void LogCreated(ILogger logger, Guid uploadId, string keyName, long length, string? fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload refused to key {KeyName}: it has {PendingBytes} bytes pending and asked for {Length} more, over Uploads:MaxPendingBytesPerKey {Limit}")]
    private static partial void LogKeyLimitReached(ILogger logger, string keyName, long pendingBytes, long length, long limit);
}
