using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// The headers of an answer to a GET or HEAD of stored media by byte range (RFC 9110 §14), set from the
/// request by <see cref="RangeHeader"/>: 200 whole, 206 with Content-Range, 416 for what cannot be met.
/// Shared by logged viewings and the public address, so both answer ranges by one rule.
/// </summary>
public static class RangedResponse
{
    /// <summary>Sets status and headers; returns what to send, or a plan with no bytes (HEAD, 416, an empty object).</summary>
    public static RangePlan Prepare(HttpContext context, string etag, long size, string? contentType)
    {
        var request = context.Request;
        var response = context.Response;
        var answer = RangeHeader.Resolve(request.Headers.Range.ToString(), request.Headers.IfRange.ToString(), etag, size);
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = etag;
        if (answer.Kind == RangeAnswerKind.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{size}";
            response.ContentLength = 0;
            return new RangePlan(null, null, Unsatisfiable: true);
        }

        var range = answer.Range ?? (size > 0 ? new ByteRange(0, size - 1) : (ByteRange?)null);
        response.StatusCode = answer.Kind == RangeAnswerKind.Partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        response.ContentType = contentType ?? "application/octet-stream";
        response.ContentLength = range?.Length ?? 0;
        if (answer.Range is { } partial)
        {
            response.Headers.ContentRange = $"bytes {partial.First}-{partial.Last}/{size}";
        }

        return HttpMethods.IsHead(request.Method) || range is null
            ? new RangePlan(null, null, Unsatisfiable: false)
            : new RangePlan(range, answer.Kind == RangeAnswerKind.Partial ? range : null, Unsatisfiable: false);
    }
}

/// <summary>
/// What an answer sends: <see cref="Served"/> the bytes that leave (null: none), <see cref="StoreRange"/>
/// the range to read from the store (null: the whole object).
/// </summary>
public readonly record struct RangePlan(ByteRange? Served, ByteRange? StoreRange, bool Unsatisfiable);
