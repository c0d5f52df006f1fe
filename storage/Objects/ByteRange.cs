namespace Enforcement.Media.Storage.Objects;

/// <summary>An inclusive byte range already resolved against the object's length (RFC 9110 §14.1.2).</summary>
public readonly record struct ByteRange
{
    public ByteRange(long first, long last)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        First = first;
        Last = last;
    }

    public long First { get; }

    public long Last { get; }

    public long Length => Last - First + 1;

    public override string ToString() => $"bytes={First}-{Last}";
}
