namespace Enforcement.Media.Player.Playback;

/// <summary>Answers a refused viewing action with its status and a ProblemDetails that says why (and which field, for bad input);
/// a range that could not be put on record is a 503 with nothing served.</summary>
public sealed class PlaybackProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PlaybackRefusedException ex)
        {
            return TypedResults.Problem(
                statusCode: ex.StatusCode,
                title: ex.Message,
                extensions: ex.Field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [ex.Field] = [ex.Message] } });
        }
        catch (RangeLogException ex)
        {
            // Not on record, so not served: the viewer can retry once the ledger can be written again.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: ex.Message);
        }
    }
}
