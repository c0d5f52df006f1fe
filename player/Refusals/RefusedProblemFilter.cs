using Enforcement.Media.Storage.Hosting;

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

            return ex.Field is null
                ? TypedResults.Problem(statusCode: ex.StatusCode, title: ex.Message)
                : FieldProblem.For(ex.StatusCode, ex.Message, ex.Field, ex.Message);
        }
    }
}
