namespace Enforcement.Media.Player.Playback;

public enum RangeAnswerKind
{
    Whole,
    Partial,
    Unsatisfiable,
}
