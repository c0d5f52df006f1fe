using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// The export form of the chain: UTF-8 JSON Lines, one event per line in sequence order, each a
/// canonical JSON object (keys sorted, no whitespace):
/// <c>{"action":…,"actor":…,"details":"&lt;canonical JSON as a string&gt;","hash":"&lt;hex&gt;","occurredAt":"…Z","prevHash":"&lt;hex&gt;","seq":1,"subjectId":…,"subjectType":…}</c>.
/// Every field is exactly the text the hash covers, so a verifier never re-encodes anything.
/// </summary>
public static class AuditJsonLines
{
    private static readonly JsonWriterOptions Output = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<long> WriteAsync(Stream output, IAsyncEnumerable<AuditRecord> events, CancellationToken cancellationToken)
    {
        var count = 0L;
        var buffer = new MemoryStream();
        await using var writer = new Utf8JsonWriter(buffer, Output);
        await foreach (var record in events.WithCancellation(cancellationToken))
        {
            writer.Reset();
            writer.WriteStartObject();
            writer.WriteString("action", record.Action);
            writer.WriteString("actor", record.Actor);
            writer.WriteString("details", record.Details);
            writer.WriteString("hash", Convert.ToHexStringLower(record.Hash));
            writer.WriteString("occurredAt", record.OccurredAt);
            writer.WriteString("prevHash", Convert.ToHexStringLower(record.PrevHash));
            writer.WriteNumber("seq", record.Seq);
            writer.WriteString("subjectId", record.SubjectId);
            writer.WriteString("subjectType", record.SubjectType);
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken);
            buffer.WriteByte((byte)'\n');
            if (buffer.Length >= 1 << 20)
            {
                await FlushAsync(buffer, output, cancellationToken);
            }

            count++;
        }

        await FlushAsync(buffer, output, cancellationToken);
        return count;
    }

    /// <summary>Reads events back; a line that is not an audit event throws <see cref="InvalidDataException"/> naming the line.</summary>
    public static async IAsyncEnumerable<AuditRecord> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Lines are split and parsed as UTF-8 bytes (Utf8JsonReader): no transcoding, no DOM per line.
        var buffer = new byte[1 << 16];
        var start = 0;
        var end = 0;
        var number = 0L;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                number++;
                var line = new ReadOnlyMemory<byte>(buffer, start, newline);
                start += newline + 1;
                if (!line.IsEmpty)
                {
                    yield return Parse(line.Span, number);
                }

                continue;
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await input.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (read == 0)
            {
                if (end > 0)
                {
                    yield return Parse(buffer.AsSpan(0, end), number + 1);
                }

                yield break;
            }

            end += read;
        }
    }

    private static AuditRecord Parse(ReadOnlySpan<byte> line, long number)
    {
        try
        {
            long? seq = null;
            string? occurredAt = null, actor = null, action = null, subjectType = null, subjectId = null, details = null;
            byte[]? prevHash = null, hash = null;
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "seq": seq = reader.GetInt64(); break;
                    case "occurredAt": occurredAt = reader.GetString(); break;
                    case "actor": actor = reader.GetString(); break;
                    case "action": action = reader.GetString(); break;
                    case "subjectType": subjectType = reader.GetString(); break;
                    case "subjectId": subjectId = reader.GetString(); break;
                    case "details": details = reader.GetString(); break;
                    case "prevHash": prevHash = Digest(reader.GetString(), name); break;
                    case "hash": hash = Digest(reader.GetString(), name); break;
                    default: reader.Skip(); break;
                }
            }

            return new AuditRecord(
                seq ?? throw Missing("seq"),
                occurredAt ?? throw Missing("occurredAt"),
                actor ?? throw Missing("actor"),
                action ?? throw Missing("action"),
                subjectType ?? throw Missing("subjectType"),
                subjectId ?? throw Missing("subjectId"),
                details ?? throw Missing("details"),
                prevHash ?? throw Missing("prevHash"),
                hash ?? throw Missing("hash"));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"line {number} is not an audit event: {ex.Message}", ex);
        }
    }

    private static FormatException Missing(string name) => new($"'{name}' is missing");

    private static byte[] Digest(string? hex, string name)
    {
        var bytes = Convert.FromHexString(hex ?? throw Missing(name));
        return bytes.Length == 32 ? bytes : throw new FormatException($"'{name}' is not 32 bytes");
    }

    private static async Task FlushAsync(MemoryStream buffer, Stream output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        buffer.SetLength(0);
    }
}
