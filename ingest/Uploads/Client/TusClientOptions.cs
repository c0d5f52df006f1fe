namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>Where and how <see cref="TusClient"/> uploads.</summary>
public sealed class TusClientOptions
{
    /// <summary>The creation URL, e.g. <c>https://ingest.example/api/v1/uploads</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The station's or device's key, <c>em_…</c>.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Bytes per PATCH, each with its own <c>Upload-Checksum</c>; one such buffer is held in memory.</summary>
    public int ChunkSizeBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Tries of one request, or of one chunk, before giving up on a transient fault (network errors,
    /// timeouts, 5xx, 408, 429; for a PATCH also 409, 423, 460); progress resets the count. See <see cref="TusRetries"/>.
    /// </summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The backoff's first wait: the waits grow exponentially from it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before a retry, a server's <c>Retry-After</c> included.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for one attempt at one request (a chunk on a slow link included); used by <see cref="TusRetries.Handler"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often to ask for the receipt while the server is still archiving (202).</summary>
    public TimeSpan ReceiptPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
