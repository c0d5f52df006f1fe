using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>A recording the catalogue holds, with where its original is.</summary>
public sealed record HeldRecording(Guid RecordingId, Sha256Digest Sha256, long Size, string Store, ObjectRef Location, DateTimeOffset StoredAt, string? QuarantineReason);
