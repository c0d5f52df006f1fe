using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Publications;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Publications;

/// <summary>
/// The public address of a published item: <c>/public/{token}</c> (a page) and <c>/public/{token}/media</c>
/// (the watermarked redacted copy, by byte range). No sign-in, rate-limited per address, every request in
/// the publication access log. The token is the only key: it is looked up among publications and nothing
/// else, and only an object of kind <c>redacted</c> can be served — an original, a rendition or a thumbnail
/// is unreachable from here whatever is asked. Withdrawn, expired or disposed of: 410.
/// </summary>
public static class PublicEndpoints
{
    public const string RateLimitPolicy = "public";

    private const int CopyBufferSize = 64 * 1024;

    /// <summary>Chinese text stays readable in the page source; markup characters are still encoded.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>A strict policy of its own: the page loads its sheet and its media from here and runs no script.</summary>
    private const string PageSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddPublicRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<PublicationOptions>>().Value.PublicRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.Of(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });

    public static IEndpointRouteBuilder MapPublicEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/public/{token}", PageAsync).AllowAnonymous().RequireRateLimiting(RateLimitPolicy);
        endpoints.MapMethods("/public/{token}/media", [HttpMethods.Get, HttpMethods.Head], MediaAsync).AllowAnonymous().RequireRateLimiting(RateLimitPolicy);
        return endpoints;
    }

    private static async Task PageAsync(string token, PublicationStore store, PublicViewLog log, LocalClock clock, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var item = await FindAsync(token, store, log, time, context, PublicView.Page, cancellationToken);
        if (item is null)
        {
            return;
        }

        var response = context.Response;
        response.Headers.ContentSecurityPolicy = PageSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "text/html; charset=utf-8";
        var html = Html;
        var media = $"/public/{token}/media";
        var player = item.IsPhoto
            ? $"<img class=\"public-media\" src=\"{html.Encode(media)}\" alt=\"{html.Encode(item.Title)}\">"
            : $"<video class=\"public-media\" src=\"{html.Encode(media)}\" controls preload=\"metadata\" controlslist=\"nodownload\"></video>";
        var body = string.Join(string.Empty, item.Body.Split('\n').Where(l => l.Trim().Length > 0).Select(l => $"<p>{html.Encode(l.Trim())}</p>"));
        await response.WriteAsync(
            $"""
            <!doctype html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>{html.Encode(item.Title)} · 公示</title>
            <link rel="stylesheet" href="/css/site.css">
            </head>
            <body class="public">
            <main class="public-item">
            <h1>{html.Encode(item.Title)}</h1>
            <div class="public-frame">{player}<div class="public-watermark" aria-hidden="true">{html.Encode(item.Watermark)}</div></div>
            <div class="public-text">{body}</div>
            <p class="public-until">公示至 / public until {clock.Show(item.ExpiresAt)}</p>
            </main>
            </body>
            </html>
            """,
            cancellationToken);
    }

    private static async Task MediaAsync(string token, PublicationStore store, PublicViewLog log, IEvidenceStore evidence, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var item = await FindAsync(token, store, log, time, context, PublicView.Media, cancellationToken);
        if (item is null)
        {
            return;
        }

        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var plan = RangedResponse.Prepare(context, item.ETag, item.SizeBytes, item.ContentType);
        if (plan.Unsatisfiable)
        {
            await LogAsync(log, time, context, item.Id, PublicView.Media, null, response.StatusCode, cancellationToken);
            return;
        }

        if (plan.Served is not { } range)
        {
            return;
        }

        await using var content = await evidence.OpenReadAsync(item.Location, plan.StoreRange, cancellationToken);
        await LogAsync(log, time, context, item.Id, PublicView.Media, range, response.StatusCode, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The live item, or null with the answer already set: 404 for no such address, 410 for one that is over.</summary>
    private static async Task<PublicItem?> FindAsync(string token, PublicationStore store, PublicViewLog log, TimeProvider time, HttpContext context, string what, CancellationToken cancellationToken)
    {
        var item = PublicationService.LooksLikeToken(token) ? await store.PublicAsync(token, cancellationToken) : null;
        if (item is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return null;
        }

        if (!item.IsLive(time.GetUtcNow()))
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            context.Response.Headers.CacheControl = "no-store";
            await LogAsync(log, time, context, item.Id, what, null, StatusCodes.Status410Gone, cancellationToken);
            return null;
        }

        if (what == PublicView.Page)
        {
            await LogAsync(log, time, context, item.Id, what, null, StatusCodes.Status200OK, cancellationToken);
        }

        return item;
    }

    /// <summary>Returns once the line is committed: only then may the answer, and any byte of it, go out.</summary>
    private static Task LogAsync(PublicViewLog log, TimeProvider time, HttpContext context, Guid publicationId, string what, ByteRange? range, int status, CancellationToken cancellationToken) =>
        log.RecordAsync(
            new PublicView(
                publicationId,
                time.GetUtcNow().UtcDateTime,
                ClientAddress.Of(context),
                Bounded(context.Request.Headers.UserAgent.ToString(), 512),
                what,
                range?.First,
                range?.Last,
                status),
            cancellationToken);

    private static string Bounded(string value, int max) => value.Length <= max ? value : value[..max];
}
