namespace Enforcement.Media.Storage.Fixity;

/// <summary>The finding for one original.</summary>
public sealed record FixityResult(FixityTarget Target, FixityOutcome Outcome, string? ActualSha256, long? ActualSize, string? Reason, TimeSpan Duration);
