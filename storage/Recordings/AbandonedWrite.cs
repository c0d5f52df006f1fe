using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>A write whose process died. <paramref name="Written"/> is set when its bytes were fully stored and hashed.</summary>
public sealed record AbandonedWrite(ObjectWrite Write, string Store, Delivery Delivery, string State, PendingObject? Written);
