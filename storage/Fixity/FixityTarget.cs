using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Fixity;

/// <summary>One stored original to re-read, with what the catalogue says it must be.</summary>
public sealed record FixityTarget(Guid ObjectId, Guid? RecordingId, ObjectRef Location, string Sha256, long Size);
