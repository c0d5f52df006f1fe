namespace Enforcement.Media.Storage.Objects;

/// <summary>The store did not confirm the bytes it was sent (checksum or size mismatch). Nothing was kept.</summary>
public sealed class ObjectIntegrityException(string message, Exception? inner = null) : Exception(message, inner);
