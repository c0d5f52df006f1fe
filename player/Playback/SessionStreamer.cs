using System.Buffers;
using System.Text;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// Serves a live session's bytes to its own user: the media by byte range (<see cref="RangeHeader"/>),
/// and the thumbnails (WebVTT track, sprite sheet, poster) whole. Everything is read from the evidence
/// store as a stream — never buffered whole, never a presigned URL — and each range is on record
/// (<see cref="RangeLog"/>) before its first byte is written. HEAD and 416 answers send no bytes and log none.
/// </summary>
public sealed class SessionStreamer(PlaybackService playback, PlaybackStore store, RangeLog log, IEvidenceStore evidence, PlaybackMetrics metrics)
{
    /// <summary>A thumbnails track is a few KB; anything far larger is not one and is not read into memory.</summary>
    private const long MaxTrackBytes = 4 * 1024 * 1024;

    private const int CopyBufferSize = 64 * 1024;

    public async Task MediaAsync(Guid sessionId, HttpContext context, CancellationToken cancellationToken)
    {
        var session = await LiveSessionAsync(sessionId, context, cancellationToken);
        var media = session.Media;
        NoStore(context.Response);
        var plan = RangedResponse.Prepare(context, media.ETag, media.Size, media.ContentType);
        if (plan.Served is { } served)
        {
            await SendAsync(session, "media", media, plan.StoreRange, served, context.Response, cancellationToken);
        }
    }

    /// <summary>The WebVTT thumbnails track, its cues pointing at this session's sprite sheet.</summary>
    public async Task ThumbnailsAsync(Guid sessionId, HttpContext context, CancellationToken cancellationToken)
    {
        var session = await UnredactedSessionAsync(sessionId, context, cancellationToken);
        var track = await store.DerivativeAsync(session.RecordingId, "sprite_track", cancellationToken);
        if (track is null || track.Size > MaxTrackBytes || await store.DerivativeAsync(session.RecordingId, "sprite_sheet", cancellationToken) is null)
        {
            throw new PlaybackRefusedException(Refusal.NotFound, "This recording has no thumbnails.");
        }

        string text;
        await using (var source = await evidence.OpenReadAsync(track.Location, null, cancellationToken))
        {
            using var reader = new StreamReader(source, Encoding.UTF8);
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        // On record is what the client receives: the rewritten track, longer than the stored one by its
        // session URLs, not the stored object's size.
        var body = Encoding.UTF8.GetBytes(PointAtSession(text, sessionId));
        if (body.Length > 0)
        {
            await log.RecordAsync(new ServedRange(session, "thumbnails", 0, body.Length - 1), cancellationToken);
        }

        var response = context.Response;
        NoStore(response);
        response.ContentType = "text/vtt; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
        metrics.RangeServed("thumbnails", VariantOf(session), body.Length);
    }

    public async Task ImageAsync(Guid sessionId, string role, string part, HttpContext context, CancellationToken cancellationToken)
    {
        var session = await UnredactedSessionAsync(sessionId, context, cancellationToken);
        var image = await store.DerivativeAsync(session.RecordingId, role, cancellationToken)
            ?? throw new PlaybackRefusedException(Refusal.NotFound, $"This recording has no {part}.");
        var response = context.Response;
        NoStore(response);
        response.ContentType = image.ContentType ?? "image/jpeg";
        response.ContentLength = image.Size;
        if (image.Size > 0)
        {
            await SendAsync(session, part, image, null, new ByteRange(0, image.Size - 1), response, cancellationToken);
        }
    }

    /// <summary>The viewer's live session (or the refusal), its recording named on the request's log line.</summary>
    private async Task<PlaybackSession> LiveSessionAsync(Guid sessionId, HttpContext context, CancellationToken cancellationToken)
    {
        var session = await playback.LiveSessionAsync(sessionId, Viewer.Of(context.User), cancellationToken);
        context.SetRecording(session.RecordingId);
        return session;
    }

    /// <summary>
    /// A live session that is not of a redacted output: posters, sprites and their track are frames of the
    /// unredacted footage, so a redacted viewing has none (answered as for a recording without thumbnails).
    /// </summary>
    private async Task<PlaybackSession> UnredactedSessionAsync(Guid sessionId, HttpContext context, CancellationToken cancellationToken)
    {
        var session = await LiveSessionAsync(sessionId, context, cancellationToken);
        return session.Variant == PlaybackVariant.Redacted
            ? throw new PlaybackRefusedException(Refusal.NotFound, "A redacted viewing has no thumbnails: they show the unredacted footage.")
            : session;
    }

    /// <summary>
    /// Rewrites each cue's sprite reference (the sheet's file name in the stored track) to this session's
    /// sprite URL, keeping the <c>#xywh=</c> media fragment.
    /// </summary>
    public static string PointAtSession(string track, Guid sessionId)
    {
        var sprite = $"/api/v1/sessions/{sessionId}/sprite.jpg";
        var lines = track.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fragment = lines[i].IndexOf("#xywh=", StringComparison.Ordinal);
            if (fragment > 0 && !lines[i].Contains("-->", StringComparison.Ordinal))
            {
                lines[i] = sprite + lines[i][fragment..];
            }
        }

        return string.Join('\n', lines);
    }

    private async Task SendAsync(PlaybackSession session, string part, StreamObject source, ByteRange? storeRange, ByteRange served, HttpResponse response, CancellationToken cancellationToken)
    {
        // Opened first (a missing object is then refused with nothing on record), written only once on record.
        var content = await evidence.OpenReadAsync(source.Location, storeRange, cancellationToken);
        await using (content)
        {
            await log.RecordAsync(new ServedRange(session, part, served.First, served.Last), cancellationToken);

            // Copied by hand, not CopyToAsync, to count what actually left: a player that seeks abandons
            // its open-ended range after a few MB, which the metrics must not count as the whole file.
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            long sent = 0;
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
                {
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    sent += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                metrics.RangeServed(part, VariantOf(session), sent);
            }
        }
    }

    /// <summary>One of the three constants, whatever string the catalogue returned: a label of three values.</summary>
    private static string VariantOf(PlaybackSession session) => session.Variant switch
    {
        PlaybackVariant.Original => PlaybackVariant.Original,
        PlaybackVariant.Redacted => PlaybackVariant.Redacted,
        _ => PlaybackVariant.Rendition,
    };

    private static void NoStore(HttpResponse response)
    {
        // Footage is shown only within a logged viewing: no cache may keep a copy to show later.
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Content-Security-Policy"] = "default-src 'none'; sandbox";
    }
}
