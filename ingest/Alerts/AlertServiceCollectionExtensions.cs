using System.Net;
using Enforcement.Media.Storage.Alerts;
using Enforcement.Media.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>Alerts' delivery: the <c>Alerts</c> settings (checked at start), the signed sender and the <c>alert</c> job.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertValidation>();
        services.AddHttpClient(WebhookSender.ClientName, (provider, client) => client.Timeout = provider.GetRequiredService<IOptions<AlertOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers(); // the factory's request log names the URL, which may carry a token: the handler logs webhooks by name
        services.AddSingleton<WebhookSender>();
        services.AddJobHandler<AlertJobHandler>();
        return services;
    }

    /// <summary>
    /// Refuses, naming the key, a webhook an alert could not be trusted to reach: no name or a repeated one, a URL
    /// that is not absolute https (plain http is allowed only to a loopback address, where nothing crosses a
    /// network), or a secret shorter than 32 characters. Messages never repeat a URL or a secret.
    /// </summary>
    private sealed class AlertValidation : IValidateOptions<AlertOptions>
    {
        public const int MinSecretLength = 32;

        public ValidateOptionsResult Validate(string? name, AlertOptions options)
        {
            var problems = new List<string>();
            if (options.MaxAttempts is < 1 or > AlertStore.JobAttemptsCeiling)
            {
                problems.Add($"{AlertOptions.Section}:MaxAttempts must be from 1 to {AlertStore.JobAttemptsCeiling}.");
            }

            if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
            {
                problems.Add($"{AlertOptions.Section}:Timeout must be positive and at most 5 minutes.");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < options.Webhooks.Count; i++)
            {
                var webhook = options.Webhooks[i];
                var key = $"{AlertOptions.Section}:Webhooks:{i}";
                if (string.IsNullOrWhiteSpace(webhook.Name) || webhook.Name.Length > 64 || !webhook.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    problems.Add($"{key}:Name is required: 1 to 64 letters, digits, '-', '_' or '.'.");
                }
                else if (!names.Add(webhook.Name))
                {
                    problems.Add($"{key}:Name '{webhook.Name}' is used by another webhook.");
                }

                if (UrlProblem(webhook.Url) is { } problem)
                {
                    problems.Add($"{key}:Url {problem}");
                }

                if (webhook.Secret.Length < MinSecretLength)
                {
                    problems.Add($"{key}:Secret is required, at least {MinSecretLength} characters (e.g. openssl rand -hex 32): every alert is signed with it.");
                }
            }

            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }

        private static string? UrlProblem(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                return "must be an absolute https URL.";
            }

            if (uri.UserInfo.Length > 0)
            {
                return "must not carry a user name or password: the signature is what vouches for an alert.";
            }

            var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));
            return uri.Scheme == "http" && !loopback
                ? "must be https: plain http is allowed only to a loopback address, since an alert names evidence and crosses the network in clear otherwise."
                : null;
        }
    }
}
