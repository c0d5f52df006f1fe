namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>The bytes of one checkpoint object and where they came from (a store key and version, or a file).</summary>
public sealed record CheckpointObject(string Source, byte[] Content);
