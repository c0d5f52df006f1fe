using System.Text.Json;
using Enforcement.Media.Storage.Alerts;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Ingest.Alerts;

/// <summary>
/// The <c>alert</c> job: delivers one alert to every configured webhook that has not acknowledged it yet. A
/// webhook that answers 2xx is recorded as delivered and audited (<c>alert.delivered</c>) and never sent the
/// alert again, so retries reach only the ones still failing, with the same event id and body. While any
/// fails and attempts are left the job fails, and the job loop tries again after its backoff (<c>Jobs:RetryDelay</c>,
/// doubling up to <c>Jobs:MaxRetryDelay</c>); once <c>Alerts:MaxAttempts</c> are spent each delivery still
/// failing is recorded and audited as failed (<c>alert.failed</c>) and the job ends.
/// </summary>
public sealed partial class AlertJobHandler(
    AlertStore alerts, WebhookSender sender, NpgsqlDataSource dataSource, AuditTrail audit, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertJobHandler> logger) : IJobHandler
{
    public const string Actor = "system:alerts";

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
            await RecordAsync(alert, webhook, state, answer, cancellationToken);
            if (!answer.Delivered)
            {
                failing.Add($"{webhook.Name}: {answer.Error}");
            }
        }

        if (failing.Count > 0 && !lastAttempt)
        {
            throw new AlertNotDeliveredException(alert.Id, failing);
        }
    }

    /// <summary>The job ended before delivery did (its worker kept dying): every delivery still trying is given up, and audited so.</summary>
    public async Task GaveUpAsync(ClaimedJob job, Exception failure, CancellationToken cancellationToken)
    {
        var alertId = AlertIdOf(job);
        var deliveries = await alerts.DeliveriesAsync(alertId, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var webhook in options.Value.Webhooks)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (await AlertStore.GiveUpAsync(connection, transaction, alertId, webhook.Name, time.GetUtcNow(), cancellationToken))
            {
                var attempts = deliveries.TryGetValue(webhook.Name, out var delivery) ? delivery.Attempts : 0;
                await audit.AppendAsync(connection, transaction, FailedEntry(alertId, webhook, attempts, failure.Message), cancellationToken);
                LogFailed(alertId, webhook.Name, attempts, failure.Message);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task RecordAsync(StoredAlert alert, AlertWebhook webhook, string state, WebhookAnswer answer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var attempts = await AlertStore.RecordAttemptAsync(connection, transaction, alert.Id, webhook.Name, state, answer.Status, answer.Error, time.GetUtcNow(), cancellationToken);
        if (state == AlertDelivery.Delivered)
        {
            await audit.AppendAsync(
                connection,
                transaction,
                new AuditEntry(Actor, "alert.delivered", "alert", alert.Id.ToString(), new { kind = alert.Kind, webhook = webhook.Name, attempts, status = answer.Status, subjectType = alert.SubjectType, subjectId = alert.SubjectId }),
                cancellationToken);
        }
        else if (state == AlertDelivery.Failed)
        {
            await audit.AppendAsync(connection, transaction, FailedEntry(alert.Id, webhook, attempts, answer.Error), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
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
                break;
        }
    }

    private static AuditEntry FailedEntry(Guid alertId, AlertWebhook webhook, int attempts, string? error) =>
        new(Actor, "alert.failed", "alert", alertId.ToString(), new { webhook = webhook.Name, attempts, lastError = error });

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
