namespace Enforcement.Media.Player.Refusals;

/// <summary>Answers a <see cref="RefusedException"/> with its status and a ProblemDetails that says why (and which field, for bad input).</summary>
public sealed class RefusedProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RefusedException ex)
        {
            if (!ProblemAnswer.TryReset(context.HttpContext.Response))
            {
                throw;
            }

            return TypedResults.Problem(
                statusCode: ex.StatusCode,
                title: ex.Message,
                extensions: ex.Field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [ex.Field] = [ex.Message] } });
        }
    }
}
