using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Turns what escapes an endpoint because the request was bad into a problem answer instead of a 500:
/// a body that did not bind (<see cref="BadHttpRequestException"/>, thrown since
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on) names the JSON field that failed; and a text
/// value PostgreSQL refused (SQLSTATE 22021, a NUL that some check missed) is a 400 — defence in depth
/// behind <see cref="TextInputGuard"/> and <see cref="TextJsonConverter"/>, logged so the gap is found.
/// </summary>
public sealed partial class BadInputExceptionHandler(ILogger<BadInputExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var answer = exception switch
        {
            BadHttpRequestException { InnerException: UnacceptableTextException text } =>
                FieldProblem.For(StatusCodes.Status400BadRequest, TextInputGuard.Title, FieldProblem.FieldOf(text), text.Message),
            BadHttpRequestException { InnerException: JsonException json } => Malformed(httpContext, FieldProblem.FieldOf(json)),
            BadHttpRequestException bad => FieldProblem.For(bad.StatusCode, "The request is malformed.", null, bad.Message),
            _ when NulRefusedByPostgres(exception) => NulAtCatalogue(httpContext),
            _ => null,
        };
        if (answer is null)
        {
            return false;
        }

        await answer.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>A body field that did not parse: 400, or the status the endpoint declares (<see cref="MalformedBodyStatus"/>).</summary>
    private static ProblemHttpResult Malformed(HttpContext httpContext, string field) =>
        FieldProblem.For(
            // The middleware has cleared the endpoint from the context by now; its feature keeps it.
            httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<MalformedBodyStatus>()?.StatusCode ?? StatusCodes.Status400BadRequest,
            "A field of the body is malformed.",
            field,
            field == FieldProblem.WholeBody
                ? "The body is not well-formed JSON, or not the object this endpoint takes."
                : "This value is not of the form the field takes (text, a number, true or false, a date with its offset, a list); see the API's description.");

    private ProblemHttpResult NulAtCatalogue(HttpContext httpContext)
    {
        LogNulReachedCatalogue(httpContext.Request.Method, httpContext.Request.Path);
        return FieldProblem.For(StatusCodes.Status400BadRequest, TextInputGuard.Title, null, "The request holds text the catalogue cannot store (a NUL character).");
    }

    private static bool NulRefusedByPostgres(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: text with a NUL reached PostgreSQL past the input checks (SQLSTATE 22021); answered 400")]
    private partial void LogNulReachedCatalogue(string method, PathString path);
}
