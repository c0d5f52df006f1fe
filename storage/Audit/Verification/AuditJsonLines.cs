using System.Runtime.CompilerServices;
using System.Text;
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
        using var reader = new StreamReader(input, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        var number = 0L;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            yield return Parse(line, number);
        }
    }

    private static AuditRecord Parse(string line, long number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new AuditRecord(
                root.GetProperty("seq").GetInt64(),
                Text(root, "occurredAt"),
                Text(root, "actor"),
                Text(root, "action"),
                Text(root, "subjectType"),
                Text(root, "subjectId"),
                Text(root, "details"),
                Digest(root, "prevHash"),
                Digest(root, "hash"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"line {number} is not an audit event: {ex.Message}", ex);
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    private static byte[] Digest(JsonElement element, string name)
    {
        var bytes = Convert.FromHexString(Text(element, name));
        return bytes.Length == 32 ? bytes : throw new FormatException($"'{name}' is not 32 bytes");
    }

    private static async Task FlushAsync(MemoryStream buffer, Stream output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        buffer.SetLength(0);
    }
}
