namespace Enforcement.Media.Player.Statistics;

public static class StatisticsServiceCollectionExtensions
{
    /// <summary>The statistics (统计分析): their options, the zone their days are counted in, the stores that count and list, the service.</summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services)
    {
        services.AddOptions<StatisticsOptions>()
            .BindConfiguration(StatisticsOptions.Section)
            .Validate(o => o.LateDocking > TimeSpan.Zero, $"{StatisticsOptions.Section}:LateDocking must be positive.")
            .ValidateOnStart();
        services.AddOptions<StatisticsDisplayOptions>()
            .BindConfiguration(StatisticsDisplayOptions.Section)
            .Validate(o => o.FindZone() is not null, $"{StatisticsDisplayOptions.Section}:TimeZone is not a time zone this system knows (use an IANA name such as Asia/Shanghai).")
            .ValidateOnStart();
        services.AddSingleton<StatisticsCalendar>();
        services.AddSingleton<StatisticsUnits>();
        services.AddSingleton<StatisticsStore>();
        services.AddSingleton<CompletenessStatistics>();
        services.AddSingleton<StatisticsRows>();
        services.AddSingleton<StatisticsService>();
        return services;
    }
}
