using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>
/// A derivative could not be made; the failure is already recorded in its provenance with the reason.
/// Thrown so the job is retried (bounded by <c>Media:MaxAttempts</c>). The message holds no loopback
/// address: it becomes the job's visible error.
/// </summary>
public sealed class DerivativeFailedException(Guid recordingId, DerivationRole role, string reason)
    : Exception($"The {role.ToName()} derivative of recording {recordingId} failed: {reason}")
{
    public DerivationRole Role { get; } = role;

    public string Reason { get; } = reason;
}
