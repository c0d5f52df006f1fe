namespace Enforcement.Media.Ingest.Uploads;

/// <summary>What became of one PATCH. <see cref="Offset"/> is the upload's offset afterwards: fsynced bytes only.</summary>
public sealed record PatchOutcome(PatchResult Result, long Offset, bool Completed = false);
