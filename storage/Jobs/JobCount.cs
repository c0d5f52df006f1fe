namespace Enforcement.Media.Storage.Jobs;

/// <summary>How many jobs of one kind are in one live state (<c>queued</c> or <c>running</c>).</summary>
public sealed record JobCount(string Kind, string State, long Count);
