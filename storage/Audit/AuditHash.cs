using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// The hash of one chained audit event (documented in the README, "Audit trail"):
/// SHA-256 over <c>"EMAUDIT1"</c>, the sequence number as 8 bytes big-endian, then occurred-at
/// (<c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>), actor, action, subject type, subject id and details, each
/// as a 4-byte big-endian UTF-8 length followed by the bytes, and finally the previous event's
/// 32-byte hash (32 zero bytes before the first event).
/// </summary>
public static class AuditHash
{
    public static readonly byte[] Genesis = new byte[32];

    private static readonly byte[] Domain = "EMAUDIT1"u8.ToArray();

    public static byte[] Compute(long seq, DateTime occurredAtUtc, string actor, string action, string subjectType, string subjectId, string details, ReadOnlySpan<byte> previousHash) =>
        Compute(seq, FormatTime(occurredAtUtc), actor, action, subjectType, subjectId, details, previousHash);

    /// <summary>The same, with occurred-at already in its canonical text form (as an export carries it).</summary>
    public static byte[] Compute(long seq, string occurredAt, string actor, string action, string subjectType, string subjectId, string details, ReadOnlySpan<byte> previousHash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Domain);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, seq);
        sha.AppendData(number);
        AppendField(sha, occurredAt);
        AppendField(sha, actor);
        AppendField(sha, action);
        AppendField(sha, subjectType);
        AppendField(sha, subjectId);
        AppendField(sha, details);
        sha.AppendData(previousHash);
        return sha.GetHashAndReset();
    }

    public static string FormatTime(DateTime occurredAtUtc) =>
        DateTime.SpecifyKind(occurredAtUtc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void AppendField(IncrementalHash sha, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
