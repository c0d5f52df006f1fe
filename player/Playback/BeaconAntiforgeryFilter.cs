using Microsoft.AspNetCore.Antiforgery;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// CSRF protection for <c>POST …/end</c>, which the page also sends with <c>navigator.sendBeacon</c> when
/// it closes — and a beacon cannot set the antiforgery header. Accepted, besides bearer tokens and the
/// usual header: a <c>text/plain</c> body that is the page's antiforgery request token (what
/// <c>sendBeacon(url, token)</c> sends), validated like the header; or no body at all from a request the
/// browser itself marks <c>Sec-Fetch-Site: same-origin</c> (a header pages cannot forge). A cross-site
/// form or beacon has neither — and the SameSite=Strict session cookie would not come with it anyway.
/// </summary>
public sealed class BeaconAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    private const int MaxTokenLength = 4096;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return await next(context);
        }

        var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AntiforgeryOptions>>().Value;
        var headerName = options.HeaderName ?? "RequestVerificationToken";
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (!hasBody && string.IsNullOrEmpty(request.Headers[headerName]))
        {
            return string.Equals(request.Headers["Sec-Fetch-Site"], "same-origin", StringComparison.Ordinal)
                ? await next(context)
                : Refused();
        }

        if (request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true && string.IsNullOrEmpty(request.Headers[headerName]))
        {
            using var reader = new StreamReader(request.Body);
            var buffer = new char[MaxTokenLength + 1];
            var read = await reader.ReadBlockAsync(buffer, http.RequestAborted);
            if (read > MaxTokenLength)
            {
                return Refused();
            }

            request.Headers[headerName] = new string(buffer, 0, read).Trim();
        }

        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Refused();
        }

        return await next(context);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refused() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The antiforgery token is missing or invalid; reload the page and try again.");
}
