namespace Enforcement.Media.Player.Exports;

/// <summary>The body of an approval or denial: the supervisor's reason.</summary>
public sealed record ExportDecision(string? Reason);
