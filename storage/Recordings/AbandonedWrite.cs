using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>
/// A write whose process died. <paramref name="Written"/> is set when its bytes were fully stored and
/// hashed; <paramref name="Md5"/> when an MD5 was computed on the way for the delivery's MD5 claim.
/// </summary>
public sealed record AbandonedWrite(ObjectWrite Write, string Store, Delivery Delivery, string State, PendingObject? Written, byte[]? Md5 = null);
