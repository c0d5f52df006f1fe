namespace Enforcement.Media.Player.Redactions;

public static class RedactionServiceCollectionExtensions
{
    /// <summary>Redaction drafts and renders as reviewers ask for them.</summary>
    public static IServiceCollection AddRedactions(this IServiceCollection services)
    {
        services.AddSingleton<RedactionService>();
        return services;
    }
}
