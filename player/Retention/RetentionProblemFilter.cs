namespace Enforcement.Media.Player.Retention;

/// <summary>Turns a malformed records-management request into 422 naming the field to fix; nothing was changed.</summary>
public sealed class RetentionProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RetentionRequestException ex)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: ex.Message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [ex.Field] = [ex.Message] } });
        }
    }
}
