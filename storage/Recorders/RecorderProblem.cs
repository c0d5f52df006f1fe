namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// Why one register entry cannot be saved: the field and what is wrong, the CSV line it came from (0 for
/// one entry saved through the API), and whether it is a conflict with the register as it stands (a serial
/// another unit holds) rather than bad input.
/// </summary>
public sealed record RecorderProblem(int Line, string Field, string Message, bool IsConflict = false);
