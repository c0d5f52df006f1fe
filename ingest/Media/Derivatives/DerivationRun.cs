namespace Enforcement.Media.Ingest.Media.Derivatives;

/// <summary>How a derivative was made: the provenance recorded with it, success or failure.</summary>
/// <param name="Arguments">As run, with the input written as <c>original:sha256:&lt;hex&gt;</c> and the output by file name.</param>
/// <param name="Messages">The tool's stderr tail: the reason on failure, warnings on success.</param>
public sealed record DerivationRun(
    string Tool,
    string ToolVersion,
    IReadOnlyList<string> Arguments,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string? Messages,
    long? JobId);
