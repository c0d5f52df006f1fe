namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// Which recorders to list: of one unit (and the units under it), in one status, and whose serial, model,
/// notes or current officer contain <see cref="Text"/> (any case). Null means any.
/// </summary>
public sealed record RecorderFilter(string? Unit, string? Status, string? Text)
{
    public static readonly RecorderFilter All = new(null, null, null);
}
