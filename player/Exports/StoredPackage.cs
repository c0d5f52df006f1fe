using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Player.Exports;

/// <summary>A built package as the evidence store holds it.</summary>
public sealed record StoredPackage(string Store, ObjectRef Location, string Sha256, long Size);
