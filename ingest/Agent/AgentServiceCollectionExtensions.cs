using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Receipts;
using Enforcement.Media.Ingest.Uploads.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// The station agent: the dock watcher (scanner, retries, <see cref="SourceRelease"/>) with
    /// <see cref="StationUploader"/> as its delivery and the ingest server as the archive's witness.
    /// Nothing here builds a catalogue connection or an evidence store.
    /// </summary>
    public static IServiceCollection AddStationAgent(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .Validate(o => Uri.TryCreate(o.Server, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps), $"{AgentOptions.Section}:Server must be the ingest service's absolute http(s) URL.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Key) || !string.IsNullOrWhiteSpace(o.KeyFile), $"{AgentOptions.Section}:Key or {AgentOptions.Section}:KeyFile must give the station's API key.")
            .Validate(o => o.Roots.Count > 0, $"{AgentOptions.Section}:Roots must name at least one dock folder.")
            .Validate(o => o.ToDockOptions().FindRecorderZone() is not null, $"{AgentOptions.Section}:RecorderTimeZone is not a time zone this system knows (use an IANA name such as Asia/Shanghai).")
            .Validate(o => o.Concurrency is >= 1 and <= 64, $"{AgentOptions.Section}:Concurrency must be between 1 and 64.")
            .Validate(o => o.ScanInterval > TimeSpan.Zero && o.StableFor >= TimeSpan.Zero, $"{AgentOptions.Section}:ScanInterval must be positive and StableFor not negative.")
            .Validate(o => o.ReceiptsFolder is { Length: > 0 } f && f is not ("." or "..") && f.IndexOfAny(['/', '\\']) < 0, $"{AgentOptions.Section}:ReceiptsFolder must be one plain folder name.")
            .Validate(o => o.ChunkSizeBytes is >= 64 * 1024 and <= 256 * 1024 * 1024, $"{AgentOptions.Section}:ChunkSizeBytes must be between 64 KiB and 256 MiB.")
            .Validate(o => o.MaxAttempts >= 1 && o.RetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryDelay && o.ReceiptPollInterval > TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero, $"{AgentOptions.Section}:MaxAttempts must be at least 1, and RetryDelay, MaxRetryDelay (not below RetryDelay), ReceiptPollInterval and RequestTimeout positive.")
            .Validate(o => o.MaxRetryDelay <= TimeSpan.FromDays(1) && o.RequestTimeout <= TimeSpan.FromDays(1) && o.RequestTimeout >= TimeSpan.FromMilliseconds(10), $"{AgentOptions.Section}:MaxRetryDelay and RequestTimeout must be at most a day, and RequestTimeout at least 10 ms.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HttpMessageHandler>(_ => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<IOptions<DockOptions>>(provider => Options.Create(provider.GetRequiredService<IOptions<AgentOptions>>().Value.ToDockOptions()));
        services.AddSingleton(provider => new AgentCredentials(provider.GetRequiredService<IOptions<AgentOptions>>().Value.ReadKey()));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new TusClientOptions
            {
                Endpoint = new Uri(options.ServerBase(), "api/v1/uploads"),
                ApiKey = provider.GetRequiredService<AgentCredentials>().Key,
                ChunkSizeBytes = options.ChunkSizeBytes,
                MaxAttempts = options.MaxAttempts,
                RetryDelay = options.RetryDelay,
                MaxRetryDelay = options.MaxRetryDelay,
                ReceiptPollInterval = options.ReceiptPollInterval,
                RequestTimeout = options.RequestTimeout,
            };
        });

        // One client for the uploads and the receipts, retrying what may be repeated (TusRetries). Its
        // own timeout is off: RequestTimeout bounds each attempt inside the retries, not all of them.
        // Waits on the network (backoff, Retry-After, per-attempt timeouts, receipt polls) run on the real
        // clock: they wait for a real server, whatever clock the agent stamps its records and stability
        // checks with (a test's fake clock would otherwise hold every retry for ever).
        services.AddSingleton(provider => new HttpClient(
            TusRetries.Handler(provider.GetRequiredService<TusClientOptions>(), provider.GetRequiredService<HttpMessageHandler>(), TimeProvider.System),
            disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton(provider => new TusClient(
            provider.GetRequiredService<HttpClient>(),
            provider.GetRequiredService<TusClientOptions>(),
            TimeProvider.System));
        services.AddSingleton(provider => new ServerReceipts(
            provider.GetRequiredService<HttpClient>(),
            provider.GetRequiredService<IOptions<AgentOptions>>().Value.ServerBase(),
            provider.GetRequiredService<AgentCredentials>().Key));

        services.AddSingleton(provider => new DeliveryReader(provider.GetRequiredService<IOptions<DockOptions>>().Value.FindRecorderZone()!));
        services.AddSingleton(provider => new ReceiptFiles(
            provider.GetRequiredService<IOptions<DockOptions>>().Value.ReceiptsFolder,
            provider.GetRequiredService<ILogger<ReceiptFiles>>()));
        services.AddSingleton(provider => new DockScanner(
            provider.GetRequiredService<ReceiptFiles>(),
            provider.GetRequiredService<IOptions<DockOptions>>().Value.StableFor,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DockScanner>>()));
        services.AddSingleton<UploadStateFile>();
        services.AddSingleton<IArchiveConfirmation, ServerReceiptConfirmation>();
        services.AddSingleton<SourceRelease>();
        services.AddSingleton<IDockDelivery, StationUploader>();
        services.AddSingleton<DockWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<DockWatcher>());
        return services;
    }
}
