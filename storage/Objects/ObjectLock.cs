namespace Enforcement.Media.Storage.Objects;

/// <summary>The lock to put on an object when it is sealed.</summary>
public sealed record ObjectLock(DateTimeOffset RetainUntil, bool LegalHold = false);
