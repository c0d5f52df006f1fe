namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// A redaction as one ffmpeg <c>-filter_complex</c> graph, and what to map from it into the output:
/// <see cref="VideoMap"/> is <c>[v]</c> when there is a picture; <see cref="AudioMap"/> is <c>[a]</c>
/// when audio is redacted, the input stream itself (<c>0:N</c>) when it is only re-encoded, or null.
/// </summary>
public sealed record RedactionGraph(string Text, string? VideoMap, string? AudioMap, int Branches);
