namespace Enforcement.Media.Player.Retention;

/// <summary>The body of a request that only needs a stated reason (事由).</summary>
public sealed record ReasonBody(string? Reason);
