namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// One security-relevant event before it is sealed into the chain. <paramref name="Actor"/> is
/// <c>user:&lt;name&gt;</c>, <c>station:&lt;id&gt;</c> or <c>system:&lt;component&gt;</c>;
/// <paramref name="Action"/> a dotted verb such as <c>recording.ingested</c>.
/// </summary>
public sealed record AuditEntry(string Actor, string Action, string SubjectType, string SubjectId, object? Details = null);
