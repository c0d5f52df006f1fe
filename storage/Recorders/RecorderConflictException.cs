namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// A handover the register refuses as it stands: the recorder is not in service, is with nobody to take it
/// back from, or the period asked for overlaps one on record. Nothing was changed.
/// </summary>
public sealed class RecorderConflictException(string message) : Exception(message);
