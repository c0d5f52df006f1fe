namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>A finished run: its stdout in full and the last lines it wrote to stderr (warnings, statistics).</summary>
public sealed record MediaToolResult(string CommandLine, int ExitCode, byte[] StandardOutput, string StandardErrorTail);
