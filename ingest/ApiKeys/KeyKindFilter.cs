using Enforcement.Media.Storage.Stations;

namespace Enforcement.Media.Ingest.ApiKeys;

/// <summary>
/// After <see cref="ApiKeyFilter"/>: the key must be of a kind allowed here. A docking station's key
/// cannot edit cases, and the case system's key cannot upload evidence.
/// </summary>
public sealed class KeyKindFilter(params ApiKeyKind[] allowed) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var key = ApiKeyFilter.KeyOf(context.HttpContext);
        if (!allowed.Contains(key.Kind))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                detail: $"A {ApiKeyStore.KindName(key.Kind)} key may not use this endpoint; it needs a {string.Join(" or ", allowed.Select(ApiKeyStore.KindName))} key.");
        }

        return await next(context);
    }
}
