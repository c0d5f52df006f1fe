using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Refuses a request whose route values, query string or URL-encoded form fields hold text
/// <see cref="TextInput"/> does not accept — 400, naming the first such field — before any page or endpoint
/// runs, so nothing is read, changed or audited. JSON bodies are checked as they are read
/// (<see cref="TextJsonConverter"/>). Multipart bodies are left to the endpoint that streams them: reading
/// one here, before authentication, would buffer anyone's upload. Runs after routing, which has set the
/// route values.
/// </summary>
public sealed class TextInputGuard(RequestDelegate next)
{
    public const string Title = "The request holds text that is not accepted.";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var refused = First(request.RouteValues.Select(v => (v.Key, v.Value as string)))
            ?? First(request.Query.SelectMany(q => q.Value.Select(v => (q.Key, v))));
        if (refused is null && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            request.EnableBuffering(); // so that a form the framework refuses can be read again to name the field

            try
            {
                var form = await request.ReadFormAsync(context.RequestAborted);
                refused = First(form.SelectMany(f => f.Value.Select(v => (f.Key, v))));
            }
            catch (InvalidDataException ex)
            {
                // The framework's reader refuses a NUL itself ("The form value contains invalid characters"),
                // naming no field; its plain reader does not, so it finds the field. Past that, a form beyond
                // the size limits: a bad request, not a failure.
                refused = await FirstInRawFormAsync(request);
                if (refused is null)
                {
                    await FieldProblem.For(StatusCodes.Status400BadRequest, "The form cannot be read.", null, ex.Message).ExecuteAsync(context);
                    return;
                }
            }
        }

        if (refused is var (field, why))
        {
            await FieldProblem.For(StatusCodes.Status400BadRequest, Title, field, why).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static async Task<(string Field, string Why)?> FirstInRawFormAsync(HttpRequest request)
    {
        request.Body.Position = 0;
        try
        {
            using var reader = new FormReader(request.Body);
            var fields = await reader.ReadFormAsync(request.HttpContext.RequestAborted);
            return First(fields.SelectMany(f => f.Value.Select(v => (f.Key, v))));
        }
        catch (InvalidDataException)
        {
            return null; // past the limits: the framework's own refusal stands
        }
    }

    private static (string Field, string Why)? First(IEnumerable<(string Field, string? Value)> values)
    {
        foreach (var (field, value) in values)
        {
            if (value is not null && TextInput.Refusal(value) is { } why)
            {
                return (field, why);
            }
        }

        return null;
    }
}
