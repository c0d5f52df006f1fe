namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// A request to write one object. The caller picks <paramref name="WriteId"/> (a UUIDv7) and
/// records it before writing, so a write cut short by a crash can be found and cleaned up.
/// </summary>
public sealed record ObjectWrite(Guid WriteId, ObjectKind Kind, string? ContentType = null)
{
    public static ObjectWrite New(ObjectKind kind, string? contentType = null) => new(Guid.CreateVersion7(), kind, contentType);
}
