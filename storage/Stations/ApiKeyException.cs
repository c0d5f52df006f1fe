namespace Enforcement.Media.Storage.Stations;

/// <summary>A key cannot be created as asked (bad or taken name); the message says why, for the operator.</summary>
public sealed class ApiKeyException(string message) : Exception(message);
