using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Stations;

namespace Enforcement.Media.Ingest.ApiKeys;

/// <summary>
/// <c>Authorization: Bearer em_…</c> on every upload and receipt request. Checked against the
/// catalogue on each request (no cache), so a revoked key stops working at once. Unknown, malformed,
/// wrong and revoked keys all get the same 401 and nothing is stored.
/// </summary>
public sealed class ApiKeyFilter(ApiKeyStore keys) : IEndpointFilter
{
    private const string ItemKey = "Enforcement.Media.ApiKey";

    public static ApiKey KeyOf(HttpContext context) =>
        context.Items[ItemKey] as ApiKey ?? throw new InvalidOperationException("The endpoint has no ApiKeyFilter.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var key = await keys.AuthenticateAsync(token, http.RequestAborted);
        if (key is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                detail: "A valid, unrevoked API key is required: 'Authorization: Bearer em_…'.");
        }

        http.Items[ItemKey] = key;
        http.SetActor(key.Actor);
        return await next(context);
    }
}
