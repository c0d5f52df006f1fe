namespace Enforcement.Media.Storage.Jobs;

/// <summary>A job this worker holds the lease on. <see cref="Attempts"/> counts this attempt.</summary>
public sealed record ClaimedJob(long Id, string Kind, Guid? RecordingId, string Payload, int Attempts, int MaxAttempts);
