using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Accounts;

public static class AccountsServiceCollectionExtensions
{
    private const string Smart = "cookie-or-bearer";

    /// <summary>
    /// Cookie sessions for browsers (HttpOnly, SameSite=Strict, each a row on the server re-checked every request), bearer
    /// tokens for API clients (chosen by the Authorization header), role policies with
    /// "signed in" as the fallback for everything, and cookie keys shared through PostgreSQL.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<UserTokenStore>();
        services.AddSingleton<UserSessionStore>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<KnownDevices>();
        services.AddSingleton<BrowserSessions>();
        services.AddHostedService<SignInThrottleSweeper>();
        services.AddSingleton<CookieSessionValidator>();
        services.AddHostedService<BootstrapAdmin>();
        services.AddHostedService<SeedUsers>(); // after the first admin, who is created only while no user exists

        services.AddDataProtection().SetApplicationName("enforcement-media-player");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresKeyRepository(provider.GetRequiredService<Npgsql.NpgsqlDataSource>())));

        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/accounts/login";
                o.LogoutPath = "/accounts/logout";
                o.AccessDeniedPath = "/accounts/denied";
                o.Cookie.Name = "em.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.EventsType = typeof(CookieSessionValidator);
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AccountOptions>>((cookie, accounts) => cookie.ExpireTimeSpan = accounts.Value.SessionIdleTimeout);
        services.AddAuthorizationBuilder().AddPlayerPolicies();
        return services;
    }
}
