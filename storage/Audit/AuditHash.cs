using System.Buffers;
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
        // One buffer, one SHA-256 call: sealing and verifying hash every event, so this is their hot path.
        var length = Domain.Length + 8 + FieldLength(occurredAt) + FieldLength(actor) + FieldLength(action)
            + FieldLength(subjectType) + FieldLength(subjectId) + FieldLength(details) + previousHash.Length;
        var rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            Domain.CopyTo(buffer);
            var at = Domain.Length;
            BinaryPrimitives.WriteInt64BigEndian(buffer[at..], seq);
            at += 8;
            at += WriteField(buffer[at..], occurredAt);
            at += WriteField(buffer[at..], actor);
            at += WriteField(buffer[at..], action);
            at += WriteField(buffer[at..], subjectType);
            at += WriteField(buffer[at..], subjectId);
            at += WriteField(buffer[at..], details);
            previousHash.CopyTo(buffer[at..]);
            return SHA256.HashData(buffer);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static string FormatTime(DateTime occurredAtUtc) =>
        DateTime.SpecifyKind(occurredAtUtc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static int FieldLength(string value) => 4 + Encoding.UTF8.GetByteCount(value);

    private static int WriteField(Span<byte> destination, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, written);
        return 4 + written;
    }
}
