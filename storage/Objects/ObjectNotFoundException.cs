namespace Enforcement.Media.Storage.Objects;

public sealed class ObjectNotFoundException(ObjectRef location, Exception? inner = null)
    : Exception($"Object {location} is not in the evidence store.", inner)
{
    public ObjectRef Location { get; } = location;
}
