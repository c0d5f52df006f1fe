namespace Enforcement.Media.Storage.Retention;

/// <summary>The plan applied to a recording and how many of its objects the store had to change.</summary>
public sealed record RetentionOutcome(RetentionPlan Plan, int ObjectsChanged);
