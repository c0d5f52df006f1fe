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

    /// <summary>Consecutive failures (network errors, 5xx, 409, 423, 460) tolerated before giving up; progress resets the count.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>First wait after a failure; doubles with each consecutive failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often to ask for the receipt while the server is still archiving (202).</summary>
    public TimeSpan ReceiptPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
