namespace Enforcement.Media.Player.Admin;

public sealed record Unit(string Code, string Name, string? ParentCode);
