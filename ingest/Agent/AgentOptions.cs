using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Startup;

namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// Configuration section <c>Agent</c>: the station agent (<c>ingest agent</c>), the dock watcher on a
/// docking-station PC that uploads through the field-upload API with the station's key. It has no
/// database or store settings at all: a station PC holds no such credentials.
/// </summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>The ingest service's base URL, e.g. <c>https://ingest.example/</c>; uploads go to <c>api/v1/uploads</c> below it.</summary>
    public string Server { get; set; } = string.Empty;

    /// <summary>The station's API key (<c>em_…</c>). Prefer <see cref="KeyFile"/> or the <c>Agent__Key</c> environment variable over the command line.</summary>
    public string? Key { get; set; }

    /// <summary>A file holding the station's API key (surrounding whitespace ignored), e.g. a systemd credential.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Folders where docked recorders appear, as <c>Docks:Roots</c> in the central worker.</summary>
    public IList<string> Roots { get; set; } = [];

    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Size and mtime (and the sidecars') unchanged this long before a file is read.</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Files uploaded at once.</summary>
    public int Concurrency { get; set; } = 2;

    public SourceDeletion SourceDeletion { get; set; } = SourceDeletion.Never;

    /// <summary>Folder in each root for receipts and the agent's upload state.</summary>
    public string ReceiptsFolder { get; set; } = "receipts";

    /// <summary>IANA zone of the recorders' clocks (GA/T 947 names carry local time).</summary>
    public string RecorderTimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Bytes per PATCH, each with its own <c>Upload-Checksum: sha256</c>; one such buffer per concurrent upload is held in memory.</summary>
    public int ChunkSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Tries of one request (or one chunk) on a transient fault — a network error, a timeout, 5xx, 408, 429 —
    /// within one attempt at a file before it is given up until a later scan. Refusals (401, 403, …) are not retried.
    /// </summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First wait after a failed request; the waits grow exponentially from it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait before a request is retried (a server's <c>Retry-After</c> included), and between attempts
    /// at a file that failed (those double from <see cref="ScanInterval"/>).
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often to ask for the receipt while the server is still archiving an upload.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for one attempt at one HTTP request (a chunk on a slow link included); a retry gets the whole time again.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The dock watcher's settings, as the central worker's <c>Docks</c> section would give them.</summary>
    public DockOptions ToDockOptions() => new()
    {
        Roots = [.. Roots],
        ScanInterval = ScanInterval,
        StableFor = StableFor,
        Concurrency = Concurrency,
        RecorderTimeZone = RecorderTimeZone,
        ReceiptsFolder = ReceiptsFolder,
        SourceDeletion = SourceDeletion,
        MaxRetryDelay = MaxRetryDelay,
    };

    /// <summary>The ingest service's base URL with a trailing slash, so relative API paths resolve below it.</summary>
    public Uri ServerBase() => new(Server.EndsWith('/') ? Server : Server + "/", UriKind.Absolute);

    /// <summary>The station key, from <see cref="Key"/> or <see cref="KeyFile"/>; a start-up failure naming the setting when there is none.</summary>
    public string ReadKey()
    {
        if (!string.IsNullOrWhiteSpace(Key))
        {
            return Key.Trim();
        }

        if (string.IsNullOrWhiteSpace(KeyFile))
        {
            throw new StartupCheckException($"{Section}:Key", $"{Section}:Key or {Section}:KeyFile must give the station's API key (`ingest keys create --name DOCK-01 --kind station`).");
        }

        string key;
        try
        {
            key = File.ReadAllText(KeyFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupCheckException($"{Section}:KeyFile", $"The station key file '{KeyFile}' cannot be read: {ex.Message}", ex);
        }

        return key.Length > 0 ? key : throw new StartupCheckException($"{Section}:KeyFile", $"The station key file '{KeyFile}' is empty.");
    }
}
