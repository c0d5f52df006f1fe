using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Ledger;

namespace Enforcement.Media.Player.Playback;

public static class PlaybackServiceCollectionExtensions
{
    /// <summary>Viewing: sessions and their stream, the range log, approvals, classification and the access ledger.</summary>
    public static IServiceCollection AddPlayback(this IServiceCollection services)
    {
        services.AddOptions<PlaybackOptions>().BindConfiguration(PlaybackOptions.Section);
        services.AddSingleton<PlaybackMetrics>();
        services.AddSingleton<PlaybackStore>();
        services.AddSingleton<PlaybackService>();
        services.AddSingleton<RangeLog>();
        services.AddHostedService(provider => provider.GetRequiredService<RangeLog>());
        services.AddSingleton<SessionStreamer>();
        services.AddSingleton<ViewApprovalStore>();
        services.AddSingleton<ViewApprovalService>();
        services.AddSingleton<ClassificationService>();
        services.AddSingleton<LedgerStore>();
        services.AddAuthorizationBuilder().AddApprovalPolicies();
        return services;
    }
}
