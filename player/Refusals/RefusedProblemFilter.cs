using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Player.Refusals;

/// <summary>Answers a <see cref="RefusedException"/> with the status for its kind and a ProblemDetails that says why (and which field, for bad input).</summary>
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

            var status = RefusalStatus.Of(ex, context.HttpContext);
            if (ex.Errors is { } errors)
            {
                return TypedResults.Problem(statusCode: status, title: ex.Message, extensions: new Dictionary<string, object?> { ["errors"] = errors });
            }

            return ex.Field is null
                ? TypedResults.Problem(statusCode: status, title: ex.Message)
                : FieldProblem.For(status, ex.Message, ex.Field, ex.Message);
        }
    }
}
