using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// The answer to bad input in every app: a ProblemDetails (RFC 9457) whose <c>errors</c> names the field
/// to fix with what is wrong with it; without a field, what is wrong is the problem's <c>detail</c>.
/// </summary>
public static class FieldProblem
{
    public static ProblemHttpResult For(int statusCode, string title, string? field, string message) =>
        field is null
            ? TypedResults.Problem(statusCode: statusCode, title: title, detail: message)
            : TypedResults.Problem(
                statusCode: statusCode,
                title: title,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}
