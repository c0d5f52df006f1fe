namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// One period a recorder was with an officer, [<see cref="From"/>, <see cref="To"/>); <see cref="To"/> null
/// while it still is. <see cref="OfficerKnown"/>: whether the officer registry (kept by the case system)
/// knows the 警号, so a mistyped one shows.
/// </summary>
public sealed record RecorderAssignment(Guid Id, string Serial, string OfficerId, DateTimeOffset From, DateTimeOffset? To, string AssignedBy, string? EndedBy, bool OfficerKnown);
