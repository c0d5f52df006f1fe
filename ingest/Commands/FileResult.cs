using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>One row of <c>ingest files</c>' summary: what happened to one file.</summary>
/// <param name="Archived">Null when the file failed (<paramref name="Failure"/> says why).</param>
/// <param name="Notes">What the file's sidecars got wrong; the file was ingested regardless.</param>
/// <param name="Interrupted">The command was interrupted before this file was confirmed stored.</param>
internal sealed record FileResult(string Path, ArchivedRecording? Archived, string? Failure, IReadOnlyList<string> Notes, bool Interrupted = false)
{
    public bool Failed => Archived is null;

    public bool Quarantined => Archived?.QuarantineReason is not null;
}
