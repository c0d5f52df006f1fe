using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Playback;

/// <summary>A range that could not be put on record is a 503 with nothing served (refusals are
/// <see cref="Refusals.RefusedProblemFilter"/>'s).</summary>
public sealed class PlaybackProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RangeLogException ex)
        {
            if (!ProblemAnswer.TryReset(context.HttpContext.Response))
            {
                throw;
            }

            // Not on record, so not served: the viewer can retry once the ledger can be written again.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: ex.Message);
        }
    }
}
