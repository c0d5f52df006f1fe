namespace Enforcement.Media.Player.Cases;

/// <summary>A stage of one case, in the taxonomy's order (立案/启动 → … → 结案归档).</summary>
public sealed record CaseStage(string Code, int Ordinal, string? Name);
