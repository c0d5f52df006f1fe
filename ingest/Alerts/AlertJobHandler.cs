using System.Text.Json;
using Enforcement.Media.Storage.Alerts;
using Enforcement.Media.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Alerts;

/// <summary>
/// The <c>alert</c> job: delivers one alert to every configured webhook that has not acknowledged it yet. A
/// webhook that answers 2xx is recorded as delivered and audited (<c>alert.delivered</c>) and never sent the
/// alert again, so retries reach only the ones still failing, with the same event id and body. While any
/// fails and attempts are left the job fails, and the job loop tries again after its backoff (<c>Jobs:RetryDelay</c>,
/// doubling up to <c>Jobs:MaxRetryDelay</c>); once <c>Alerts:MaxAttempts</c> are spent each delivery still
/// failing is recorded and audited as failed (<c>alert.failed</c>) and the job ends.
/// </summary>
public sealed partial class AlertJobHandler(AlertStore alerts, WebhookSender sender, IOptions<AlertOptions> options, ILogger<AlertJobHandler> logger) : IJobHandler
{
    public string Kind => JobKinds.Alert;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var alertId = AlertIdOf(job);
        if (await alerts.FindAsync(alertId, cancellationToken) is not { } alert)
        {
            LogUnknown(alertId);
            return;
        }

        var webhooks = options.Value.Webhooks;
        if (webhooks.Count == 0)
        {
            LogNowhere(alert.Id, alert.Kind);
            return;
        }

        var deliveries = await alerts.DeliveriesAsync(alert.Id, cancellationToken);
        var failing = new List<string>();
        var lastAttempt = job.Attempts >= Math.Min(options.Value.MaxAttempts, job.MaxAttempts);
        foreach (var webhook in webhooks.Where(w => !(deliveries.TryGetValue(w.Name, out var d) && d.IsSettled)))
        {
            var answer = await sender.SendAsync(webhook, alert, cancellationToken);
            var state = answer.Delivered ? AlertDelivery.Delivered : lastAttempt ? AlertDelivery.Failed : AlertDelivery.Trying;
            var attempts = await alerts.RecordAttemptAsync(alert, webhook.Name, state, answer.Status, answer.Error, cancellationToken);
            switch (state)
            {
                case AlertDelivery.Delivered:
                    LogDelivered(alert.Id, alert.Kind, webhook.Name, attempts);
                    break;
                case AlertDelivery.Failed:
                    LogFailed(alert.Id, webhook.Name, attempts, answer.Error);
                    break;
                default:
                    LogAttemptFailed(alert.Id, webhook.Name, attempts, answer.Error);
                    failing.Add($"{webhook.Name}: {answer.Error}");
                    break;
            }
        }

        if (failing.Count > 0)
        {
            throw new AlertNotDeliveredException(alert.Id, failing);
        }
    }

    /// <summary>The job ended before delivery did (its worker kept dying): every delivery not settled is given up, and audited so.</summary>
    public async Task GaveUpAsync(ClaimedJob job, Exception failure, CancellationToken cancellationToken)
    {
        var alertId = AlertIdOf(job);
        foreach (var webhook in options.Value.Webhooks)
        {
            if (await alerts.GiveUpAsync(alertId, webhook.Name, failure.Message, cancellationToken) is { } attempts)
            {
                LogFailed(alertId, webhook.Name, attempts, failure.Message);
            }
        }
    }

    private static Guid AlertIdOf(ClaimedJob job)
    {
        using var payload = JsonDocument.Parse(job.Payload);
        return payload.RootElement.GetProperty("alertId").GetGuid();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} ({AlertKind}) delivered to webhook {Webhook} at attempt {Attempts}")]
    private partial void LogDelivered(Guid alertId, string alertKind, string webhook, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} not delivered to webhook {Webhook} (attempt {Attempts}): {Error}; tried again later")]
    private partial void LogAttemptFailed(Guid alertId, string webhook, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "ALERT NOT DELIVERED: alert {AlertId} to webhook {Webhook}, given up after {Attempts} attempts: {Error}")]
    private partial void LogFailed(Guid alertId, string webhook, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} ({AlertKind}) is kept but sent nowhere: no webhook is configured (Alerts:Webhooks)")]
    private partial void LogNowhere(Guid alertId, string alertKind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert job names alert {AlertId}, which the catalogue does not hold")]
    private partial void LogUnknown(Guid alertId);
}
