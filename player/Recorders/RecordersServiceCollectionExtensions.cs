using Enforcement.Media.Storage.Recorders;

namespace Enforcement.Media.Player.Recorders;

public static class RecordersServiceCollectionExtensions
{
    /// <summary>The recorder register (执法记录仪台账): its store and the rules of who changes what.</summary>
    public static IServiceCollection AddRecorders(this IServiceCollection services)
    {
        services.AddSingleton<RecorderStore>();
        services.AddSingleton<RecorderService>();
        return services;
    }
}
