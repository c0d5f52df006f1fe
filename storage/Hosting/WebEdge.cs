using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// The edge every web app (ingest, player) puts in front of its features: forwarded headers believed
/// only from trusted proxies, one log line per request, the security headers, and bad input — text that cannot be accepted, a
/// body that does not bind — answered as a problem naming the field instead of a 500.
/// </summary>
public static class WebEdge
{
    public static IServiceCollection AddWebEdge(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyValidation>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) => trusted.Value.ApplyTo(forwarded));
        services.AddProblemDetails();
        services.AddExceptionHandler<BadInputExceptionHandler>();

        // A body that does not bind is thrown rather than answered with a bare 400, so that
        // BadInputExceptionHandler can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new TextJsonConverter()));
        return services;
    }

    /// <summary>The edge's middleware, first in the pipeline: every later middleware and endpoint sees the client's real address and scheme.</summary>
    public static IApplicationBuilder UseWebEdge(this IApplicationBuilder app, SecurityHeaderPolicy headers)
    {
        // Only with trusted proxies configured: the middleware with no known proxy and no known network
        // would believe every sender.
        if (app.ApplicationServices.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        app.UseRequestLog();
        app.UseMiddleware<SecurityHeaders>(headers);
        app.UseExceptionHandler();
        app.UseMiddleware<TextInputGuard>();
        return app;
    }

    /// <summary>Stops start-up naming the key and the value that is not an address or a network.</summary>
    private sealed class TrustedProxyValidation : IValidateOptions<TrustedProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
