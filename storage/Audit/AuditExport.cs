namespace Enforcement.Media.Storage.Audit;

/// <summary>What <c>ingest audit export</c> wrote.</summary>
public sealed record AuditExport(string EventsPath, long Events, string CheckpointFolder, int Checkpoints, string? PublicKeyPath);
