namespace Enforcement.Media.Player.Integrity;

/// <summary>The latest fixity run over the whole store: when, and how many originals it re-read and verified.</summary>
public sealed record FixityRunSummary(Guid RunId, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long Checked, long Verified);
