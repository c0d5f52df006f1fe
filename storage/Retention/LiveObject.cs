using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Retention;

/// <summary>One not-yet-disposed object of a recording (its original or a derivative) and the lock the catalogue records.</summary>
public sealed record LiveObject(Guid ObjectId, Guid RecordingId, string Kind, string Store, ObjectRef Location, DateTimeOffset RetainUntil, bool LegalHold);
