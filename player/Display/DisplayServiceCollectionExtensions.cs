using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Display;

public static class DisplayServiceCollectionExtensions
{
    /// <summary>The display time zone (<c>Display:TimeZone</c>), checked at start, and the clock every page, CSV and report shows times with.</summary>
    public static IServiceCollection AddDisplay(this IServiceCollection services)
    {
        services.AddOptions<DisplayOptions>().BindConfiguration(DisplayOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DisplayOptions>, DisplayValidation>();
        services.AddSingleton<LocalClock>();
        return services;
    }

    /// <summary>Stops start-up naming the key when the zone is not an IANA id this machine knows.</summary>
    private sealed class DisplayValidation : IValidateOptions<DisplayOptions>
    {
        public ValidateOptionsResult Validate(string? name, DisplayOptions options) =>
            !string.IsNullOrWhiteSpace(options.TimeZone)
            && TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out var zone)
            && zone.HasIanaId
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{DisplayOptions.Section}:TimeZone: '{options.TimeZone}' is not an IANA time zone id this machine knows (such as {DisplayOptions.DefaultTimeZone} or UTC).");
    }
}
