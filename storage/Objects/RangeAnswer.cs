namespace Enforcement.Media.Storage.Objects;

/// <summary>How to answer a request's <c>Range</c>: 200 with the whole, 206 with one range, or 416.</summary>
public readonly record struct RangeAnswer(RangeAnswerKind Kind, ByteRange? Range = null)
{
    public static RangeAnswer Whole { get; } = new(RangeAnswerKind.Whole);

    public static RangeAnswer Unsatisfiable { get; } = new(RangeAnswerKind.Unsatisfiable);

    public static RangeAnswer Partial(ByteRange range) => new(RangeAnswerKind.Partial, range);
}
