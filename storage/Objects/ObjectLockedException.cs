namespace Enforcement.Media.Storage.Objects;

/// <summary>The store refused to delete, overwrite or shorten the lock of a locked object — as it must.</summary>
public sealed class ObjectLockedException(ObjectRef location, string reason, Exception? inner = null)
    : Exception($"The evidence store refused to change locked object {location}: {reason}", inner)
{
    public ObjectRef Location { get; } = location;

    public string Reason { get; } = reason;
}
