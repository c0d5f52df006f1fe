using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Player.Refusals;

/// <summary>The HTTP answer to a <see cref="Refusal"/>.</summary>
public static class RefusalStatus
{
    /// <summary>
    /// The status for <paramref name="refusal"/>; bad input is <paramref name="invalid"/> — 400 by default,
    /// 422 on the APIs and forms that answer all their bad input so (<see cref="MalformedBodyStatus"/>).
    /// </summary>
    public static int Of(Refusal refusal, int invalid = StatusCodes.Status400BadRequest) => refusal switch
    {
        Refusal.Invalid => invalid,
        Refusal.NotAllowed => StatusCodes.Status403Forbidden,
        Refusal.NotFound => StatusCodes.Status404NotFound,
        Refusal.Conflict => StatusCodes.Status409Conflict,
        Refusal.Gone => StatusCodes.Status410Gone,
        Refusal.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, null),
    };

    /// <summary>The status for a refusal answered by an endpoint, whose metadata may say what bad input is answered with.</summary>
    public static int Of(RefusedException refused, HttpContext context) =>
        Of(refused.Kind, context.GetEndpoint()?.Metadata.GetMetadata<MalformedBodyStatus>()?.StatusCode ?? StatusCodes.Status400BadRequest);
}
