namespace Enforcement.Media.Player.Admin;

public sealed record Assignment(string CaseNumber, string Username, string AssignedBy, DateTime AssignedAt);
