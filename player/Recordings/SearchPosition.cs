using System.Buffers.Binary;
using System.Buffers.Text;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// Where a page of the recording search ended: its last row's start time and id, the search's order
/// (both descending). The next page is what comes after it — keyset paging, so a page costs the same
/// however deep it is, and footage ingested meanwhile neither repeats a row nor skips one.
/// </summary>
/// <remarks>
/// Sent as an opaque token (base64url of the start in microseconds since 1970, the catalogue's precision,
/// and the id). A forged token only moves where a page starts: visibility is applied to every page.
/// </remarks>
public sealed record SearchPosition(DateTimeOffset StartedAt, Guid RecordingId)
{
    private const int Length = sizeof(long) + 16;

    // What a DateTimeOffset can hold, in microseconds since 1970: a token outside it was not written here.
    private static readonly long Earliest = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
    private static readonly long Latest = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public string Token
    {
        get
        {
            Span<byte> bytes = stackalloc byte[Length];
            BinaryPrimitives.WriteInt64BigEndian(bytes, (StartedAt - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond);
            RecordingId.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
            return Base64Url.EncodeToString(bytes);
        }
    }

    /// <summary>Reads a token this type wrote; false for anything else, without throwing.</summary>
    public static bool TryRead(string token, out SearchPosition? position)
    {
        position = null;
        Span<byte> bytes = stackalloc byte[Length];
        if (token.Length != Base64Url.GetEncodedLength(Length)
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != Length)
        {
            return false;
        }

        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (microseconds < Earliest || microseconds > Latest)
        {
            return false;
        }

        position = new SearchPosition(
            DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond),
            new Guid(bytes[sizeof(long)..], bigEndian: true));
        return true;
    }
}
