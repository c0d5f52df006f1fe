using Enforcement.Media.Ingest.Receipts;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Docks;

public static class DockServiceCollectionExtensions
{
    /// <summary>
    /// The dock watcher (central mode) and what <c>ingest files</c> shares with it: the recorder
    /// name parser and sidecar reader. Options are checked at start-up; an idle watcher (no roots) costs nothing.
    /// </summary>
    public static IServiceCollection AddDocks(this IServiceCollection services)
    {
        services.AddOptions<DockOptions>()
            .BindConfiguration(DockOptions.Section)
            .Validate(o => o.FindRecorderZone() is not null, $"{DockOptions.Section}:RecorderTimeZone is not a time zone this system knows (use an IANA name such as Asia/Shanghai).")
            .Validate(o => o.Concurrency is >= 1 and <= 64, $"{DockOptions.Section}:Concurrency must be between 1 and 64.")
            .Validate(o => o.ScanInterval > TimeSpan.Zero && o.StableFor >= TimeSpan.Zero, $"{DockOptions.Section}:ScanInterval must be positive and StableFor not negative.")
            .Validate(o => o.ReceiptsFolder is { Length: > 0 } f && f is not ("." or "..") && f.IndexOfAny(['/', '\\']) < 0, $"{DockOptions.Section}:ReceiptsFolder must be one plain folder name.")
            .ValidateOnStart();

        services.AddSingleton(provider => new DeliveryReader(provider.GetRequiredService<IOptions<DockOptions>>().Value.FindRecorderZone()!));
        services.AddSingleton(provider => new ReceiptFiles(
            provider.GetRequiredService<IOptions<DockOptions>>().Value.ReceiptsFolder,
            provider.GetRequiredService<ILogger<ReceiptFiles>>()));
        services.AddSingleton(provider => new DockScanner(
            provider.GetRequiredService<ReceiptFiles>(),
            provider.GetRequiredService<IOptions<DockOptions>>().Value.StableFor,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DockScanner>>()));
        services.AddSingleton<StoredCopyVerifier>();
        services.AddSingleton<IArchiveConfirmation, CatalogueConfirmation>();
        services.AddSingleton<SourceRelease>();
        services.AddSingleton<DockArchiver>();
        services.AddSingleton<IDockDelivery>(provider => provider.GetRequiredService<DockArchiver>());
        services.AddSingleton<DockWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<DockWatcher>());
        return services;
    }
}
