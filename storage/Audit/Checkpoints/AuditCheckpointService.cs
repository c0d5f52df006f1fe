using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Enforcement.Media.Storage.Audit.Checkpoints;

/// <summary>
/// Writes checkpoints as they fall due, in every process that holds the signing key (the advisory
/// lock lets one at a time do it). A process without the key only seals events.
/// </summary>
public sealed partial class AuditCheckpointService(AuditCheckpointer checkpointer, AuditKeyring keyring, ILogger<AuditCheckpointService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (keyring.SigningKey is null)
        {
            LogNoKey(AuditOptions.Section + ":SigningKeyPath");
            return;
        }

        LogSigning(keyring.SigningKey.KeyId);
        using var timer = new PeriodicTimer(Poll);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await checkpointer.CheckpointIfDueAsync(force: false, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The events stay in the chain; the checkpoint is written on a later pass.
                    LogCheckpointFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No audit signing key ({Setting}): this process writes no audit checkpoints")]
    private partial void LogNoKey(string setting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing audit checkpoints with key {KeyId}")]
    private partial void LogSigning(string keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing an audit checkpoint failed; retrying shortly")]
    private partial void LogCheckpointFailed(Exception exception);
}
