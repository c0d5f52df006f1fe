namespace Enforcement.Media.Storage.Objects;

/// <summary>200 with the whole representation, 206 with one range, or 416.</summary>
public enum RangeAnswerKind
{
    Whole,
    Partial,
    Unsatisfiable,
}
