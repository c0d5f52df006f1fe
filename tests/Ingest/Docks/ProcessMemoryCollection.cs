namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>
/// Tests that measure the whole process's resident memory run alone: a player or a render another
/// test class runs at the same time would be charged to the work being measured.
/// </summary>
[CollectionDefinition(nameof(ProcessMemoryCollection), DisableParallelization = true)]
public sealed class ProcessMemoryCollection;
