using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Enforcement.Media.Storage.Objects;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Enforcement.Media.Ingest.Media.Sources;

/// <summary>
/// Lets ffmpeg and ffprobe read an original straight from the evidence store — S3 or filesystem —
/// without the process ever holding it in memory or copying it to disk. MP4s from recorders often
/// keep their index (<c>moov</c>) at the end, so the tools need random access, which a stdin pipe
/// cannot give; HTTP byte ranges (RFC 9110 §14) can, and ffmpeg's http protocol seeks with them.
/// </summary>
/// <remarks>
/// A Kestrel listener of its own, bound to 127.0.0.1 on a port the kernel picks, separate from the
/// service's public API. It is read-only (GET and HEAD), serves only objects explicitly exposed, each
/// under a 256-bit random token that expires and is revoked as soon as the tool is done. Every range is
/// read from <see cref="IEvidenceStore.OpenReadAsync"/> and streamed in 64 KiB blocks.
/// </remarks>
public sealed partial class LoopbackObjectServer(IEvidenceStore store, TimeProvider time, ILogger<LoopbackObjectServer> logger) : IHostedService, IAsyncDisposable
{
    private const int BlockSize = 64 * 1024;
    private const string PathPrefix = "/o/";

    private readonly ConcurrentDictionary<string, ExposedObject> _exposed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private WebApplication? _app;
    private Uri? _baseAddress;

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:40123/</c>; null until started.</summary>
    public Uri? BaseAddress => _baseAddress;

    public Task StartAsync(CancellationToken cancellationToken) => EnsureStartedAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.DisposeAsync();
        }

        _startGate.Dispose();
    }

    /// <summary>
    /// Makes one object readable at a fresh address for at most <paramref name="lifetime"/>. The object's
    /// length is taken from the store itself. Dispose the result as soon as the tool has finished.
    /// </summary>
    public async Task<ExposedObject> ExposeAsync(ObjectRef location, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        await EnsureStartedAsync(cancellationToken);
        var head = await store.HeadAsync(location, cancellationToken) ?? throw new ObjectNotFoundException(location);
        RemoveExpired();

        var token = Base64UrlToken();
        var exposed = new ExposedObject(this, token, new Uri(_baseAddress!, PathPrefix + token), location, head.Size, time.GetUtcNow() + lifetime);
        _exposed[token] = exposed;
        return exposed;
    }

    internal void Revoke(string token) => _exposed.TryRemove(token, out _);

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_baseAddress is not null)
        {
            return;
        }

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_baseAddress is not null)
            {
                return;
            }

            // An empty builder: no configuration sources, no URLs from the environment, no logging
            // providers of its own — nothing can widen where this listener binds.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                kestrel.AddServerHeader = false;

                // The reader is our own ffmpeg, which pauses reading while it encodes: a minimum data
                // rate would cut it off mid-transcode.
                kestrel.Limits.MinResponseDataRate = null;
            });
            var app = builder.Build();
            app.Run(ServeAsync);
            await app.StartAsync(cancellationToken);

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            _app = app;
            _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            LogListening(_baseAddress);
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.CacheControl = "no-store";

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        var path = request.Path.Value ?? string.Empty;
        if (!path.StartsWith(PathPrefix, StringComparison.Ordinal)
            || !_exposed.TryGetValue(path[PathPrefix.Length..], out var exposed))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (exposed.ExpiresAt <= time.GetUtcNow())
        {
            Revoke(path[PathPrefix.Length..]);
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // ffmpeg sends no If-Range, so the ETag never matters here. An empty object is served whole, so
        // the reader meets an empty file rather than an HTTP error for "bytes=0-".
        var selection = exposed.Length == 0 ? RangeAnswer.Whole : RangeHeader.Resolve(request.Headers.Range, null, string.Empty, exposed.Length);
        exposed.Counted(selection.Kind);
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = "application/octet-stream";

        ByteRange? range;
        switch (selection.Kind)
        {
            case RangeAnswerKind.Unsatisfiable:
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{exposed.Length}";
                return;
            case RangeAnswerKind.Partial:
                range = selection.Range!.Value;
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {range.Value.First}-{range.Value.Last}/{exposed.Length}";
                response.ContentLength = range.Value.Length;
                break;
            default:
                range = null;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentLength = exposed.Length;
                break;
        }

        if (HttpMethods.IsHead(request.Method) || exposed.Length == 0)
        {
            return;
        }

        await CopyAsync(exposed, range, context);
    }

    /// <summary>
    /// Streams the range block by block. A store failure is remembered on the exposure and the
    /// connection aborted, so the tool sees a broken read rather than a clean, short file; a reader that
    /// goes away (ffmpeg seeking elsewhere) just ends the copy.
    /// </summary>
    private async Task CopyAsync(ExposedObject exposed, ByteRange? range, HttpContext context)
    {
        var aborted = context.RequestAborted;
        var remaining = range?.Length ?? exposed.Length;
        Stream source;
        try
        {
            source = await store.OpenReadAsync(exposed.Location, range, aborted);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            SourceFailed(exposed, ex, context);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            await using (source)
            {
                while (remaining > 0)
                {
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BlockSize, remaining)), aborted);
                    }
                    catch (Exception ex) when (!aborted.IsCancellationRequested)
                    {
                        SourceFailed(exposed, ex, context);
                        return;
                    }

                    if (read == 0)
                    {
                        SourceFailed(exposed, new EndOfStreamException($"The store ended {exposed.Location} {remaining} bytes early."), context);
                        return;
                    }

                    try
                    {
                        await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException)
                    {
                        // The reader closed the connection: ffmpeg does that whenever it seeks.
                        return;
                    }

                    exposed.Served(read);
                    remaining -= read;
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The reader went away while the source stream was being closed.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void SourceFailed(ExposedObject exposed, Exception ex, HttpContext context)
    {
        exposed.Failed(ex);
        LogSourceFailed(ex, exposed.Location.Key);
        context.Abort();
    }

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (token, exposed) in _exposed)
        {
            if (exposed.ExpiresAt <= now)
            {
                _exposed.TryRemove(token, out _);
            }
        }
    }

    private static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loopback object server listening on {BaseAddress}")]
    private partial void LogListening(Uri baseAddress);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading {ObjectKey} from the evidence store failed while a media tool read it")]
    private partial void LogSourceFailed(Exception exception, string objectKey);
}
