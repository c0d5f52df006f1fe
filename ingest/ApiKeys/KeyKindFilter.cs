using Enforcement.Media.Storage.Stations;

namespace Enforcement.Media.Ingest.ApiKeys;

/// <summary>
/// After <see cref="ApiKeyFilter"/>: the key must be of a kind allowed here. A docking station's key
/// cannot edit cases, and the case system's key cannot upload evidence.
/// </summary>
public sealed class KeyKindFilter(params ApiKeyKind[] allowed) : IEndpointFilter
{
    /// <summary>Where a key of another kind goes instead, appended to the 403 so its client learns the way.</summary>
    public string? Instead { get; init; }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var key = ApiKeyFilter.KeyOf(context.HttpContext);
        if (!allowed.Contains(key.Kind))
        {
            var needs = $"A {ApiKeyStore.KindName(key.Kind)} key may not use this endpoint; it needs a {string.Join(" or ", allowed.Select(ApiKeyStore.KindName))} key.";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                detail: Instead is null ? needs : $"{needs} {Instead}");
        }

        return await next(context);
    }
}
