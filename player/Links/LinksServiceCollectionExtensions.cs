namespace Enforcement.Media.Player.Links;

public static class LinksServiceCollectionExtensions
{
    /// <summary>Case links made and removed by hand, over the catalogue's linker.</summary>
    public static IServiceCollection AddLinks(this IServiceCollection services)
    {
        services.AddSingleton<RecordingLinkService>();
        return services;
    }
}
