using Enforcement.Media.Player.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enforcement.Media.Player.Accounts;

/// <summary>The sign-in form. Its POST is antiforgery-protected like every form in the player.</summary>
[AllowAnonymous]
public sealed class LoginModel(AccountService accounts, Texts texts) : PageModel
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
        var result = await accounts.LoginAsync(Username ?? string.Empty, Password ?? string.Empty, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", cancellationToken);
        switch (result.Outcome)
        {
            case LoginOutcome.Succeeded:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, UserPrincipal.Create(result.User!, CookieAuthenticationDefaults.AuthenticationScheme));
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
            case LoginOutcome.LockedOut:
                Message = texts.Format("login.locked", result.LockedUntil);
                break;
            case LoginOutcome.Disabled:
                Message = texts["login.disabled"];
                break;
            default:
                Message = texts["login.failed"];
                break;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
