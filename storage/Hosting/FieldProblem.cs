using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// The answer to bad input in every app: a ProblemDetails (RFC 9457) whose <c>errors</c> names the field
/// to fix with what is wrong with it; without a field, what is wrong is the problem's <c>detail</c>.
/// </summary>
public static class FieldProblem
{
    /// <summary>What a refusal names when the fault is the JSON body as a whole, not one field of it.</summary>
    public const string WholeBody = "body";

    /// <summary>The field a JSON path names: <c>$.reason</c> → <c>reason</c>, <c>$[0].officerId</c> → <c>[0].officerId</c>; <see cref="WholeBody"/> for the root.</summary>
    public static string FieldOf(JsonException exception) =>
        exception.Path?.TrimStart('$').TrimStart('.') is { Length: > 0 } field ? field : WholeBody;

    public static ProblemHttpResult For(int statusCode, string title, string? field, string message) =>
        field is null
            ? TypedResults.Problem(statusCode: statusCode, title: title, detail: message)
            : TypedResults.Problem(
                statusCode: statusCode,
                title: title,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}
