using Enforcement.Media.Storage.Recorders;

namespace Enforcement.Media.Player.Recorders;

/// <summary>A recorder with every period it was with an officer, newest first.</summary>
public sealed record RecorderDetail(RecorderRecord Recorder, IReadOnlyList<RecorderAssignment> History);
