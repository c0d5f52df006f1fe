namespace Enforcement.Media.Storage.Objects;

public sealed record ObjectHead(ObjectRef Location, long Size, DateTimeOffset LastModified, string? ContentType);
