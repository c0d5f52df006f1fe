namespace Enforcement.Media.Storage.Jobs;

/// <summary>Work to do later. <paramref name="Payload"/> is serialised as JSON.</summary>
public sealed record JobRequest(string Kind, Guid? RecordingId, object? Payload = null, int Priority = 0, int MaxAttempts = 5);
