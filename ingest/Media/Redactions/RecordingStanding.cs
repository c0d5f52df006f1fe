namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>Whether a recording may still be copied for release: not disposed of, not quarantined.</summary>
public sealed record RecordingStanding(bool Disposed, string? QuarantineReason);
