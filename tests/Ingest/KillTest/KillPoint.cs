namespace Enforcement.Media.Tests.Ingest.KillTest;

/// <summary>
/// Where a SIGKILL is aimed: a state of the running ingest observed from outside (the catalogue,
/// the dock folder), polled until it shows or the round's time runs out.
/// </summary>
public sealed record KillPoint(string Name, Func<Task<bool>> Reached);
