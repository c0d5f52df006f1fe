namespace Enforcement.Media.Storage.Objects;

/// <summary>Reads the creation time a version-7 UUID carries in its first 48 bits (RFC 9562 §5.7).</summary>
internal static class UuidV7
{
    public static DateTimeOffset Timestamp(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        if (bytes[6] >> 4 != 7)
        {
            throw new ArgumentException($"{id} is not a version 7 UUID.", nameof(id));
        }

        long milliseconds = 0;
        for (var i = 0; i < 6; i++)
        {
            milliseconds = (milliseconds << 8) | bytes[i];
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }
}
