using System.Globalization;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Localization;
using Enforcement.Media.Storage.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Accounts;

/// <summary>The sign-in form. Its POST is antiforgery-protected like every form in the player.</summary>
[AllowAnonymous]
public sealed class LoginModel(SignInService signIn, BrowserSessions sessions, KnownDevices devices, Texts texts, LocalClock clock) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var attempt = SignInAttempt.Of(Username, HttpContext.Connection.RemoteIpAddress);
        var result = await signIn.SignInAsync(attempt, Password, ClientAddress.Of(HttpContext), devices.UserOf(HttpContext), cancellationToken);
        if (result.User is { } user)
        {
            await sessions.SignInAsync(HttpContext, user, cancellationToken);
            return LocalRedirect(user.PasswordMustChange ? PasswordChangeGate.PasswordPage : Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        if (result.WaitUntil is { } until)
        {
            Message = texts.Format("login.wait", clock.Show(until));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = until.ToString("R", CultureInfo.InvariantCulture); // an HTTP-date (RFC 9110 §10.2.3)
            return Page();
        }

        Message = texts["login.failed"];
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
