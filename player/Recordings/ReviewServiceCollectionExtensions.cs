using Enforcement.Media.Player.Cases;
using Enforcement.Media.Player.Markers;

namespace Enforcement.Media.Player.Recordings;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>The reviewers' pages and markers: case search and case page queries, recording search, the recording page, markers.</summary>
    public static IServiceCollection AddReviewPages(this IServiceCollection services)
    {
        services.AddSingleton<CaseQueries>();
        services.AddSingleton<RecordingQueries>();
        services.AddSingleton<RecordingSearch>();
        services.AddSingleton<RecordingAccess>();
        services.AddSingleton<MarkerStore>();
        services.AddSingleton<MarkerService>();
        return services;
    }
}
