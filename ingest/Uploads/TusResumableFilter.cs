namespace Enforcement.Media.Ingest.Uploads;

/// <summary>tus core: every request but OPTIONS names the protocol version; another version (or none) is 412 and nothing is done.</summary>
internal sealed class TusResumableFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers[TusProtocol.TusResumable] != TusProtocol.Version)
        {
            http.Response.Headers[TusProtocol.TusVersion] = TusProtocol.Version;
            return ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status412PreconditionFailed,
                detail: $"This server speaks tus {TusProtocol.Version}: send 'Tus-Resumable: {TusProtocol.Version}'."));
        }

        return next(context);
    }
}
