using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Media.Suggestions;

public static class SuggestionServiceCollectionExtensions
{
    /// <summary>Face suggestions for redaction: the options, the detector's driver and its job.</summary>
    public static IServiceCollection AddSuggestions(this IServiceCollection services)
    {
        services.AddOptions<SuggestionOptions>().BindConfiguration(SuggestionOptions.Section)
            .Validate(o => o.FrameWidth >= 64, $"{SuggestionOptions.Section}:{nameof(SuggestionOptions.FrameWidth)} is at least 64 pixels.");
        services.AddSingleton<FaceSuggester>();
        services.AddJobHandler<SuggestionsJobHandler>();
        return services;
    }
}
