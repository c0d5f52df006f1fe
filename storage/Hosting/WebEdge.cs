using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// The edge every web app (ingest, player) puts in front of its features: bad input — text that cannot
/// be accepted, a body that does not bind — answered as a problem naming the field instead of a 500.
/// </summary>
public static class WebEdge
{
    public static IServiceCollection AddWebEdge(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadInputExceptionHandler>();

        // A body that does not bind is thrown rather than answered with a bare 400, so that
        // BadInputExceptionHandler can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new TextJsonConverter()));
        return services;
    }

    /// <summary>The edge's middleware, first in the pipeline.</summary>
    public static IApplicationBuilder UseWebEdge(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<TextInputGuard>();
        return app;
    }
}
