using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// Appends audit events. Each append joins the caller's transaction, so an event exists exactly when
/// the change it describes does; it lands in the outbox and the <see cref="AuditSealer"/> chains it.
/// The application log is not the audit trail: this is.
/// </summary>
public sealed class AuditTrail(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO audit_outbox (occurred_at, actor, action, subject_type, subject_id, details)
            VALUES (@OccurredAt, @Actor, @Action, @SubjectType, @SubjectId, @Details)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                OccurredAt = time.GetUtcNow().UtcDateTime,
                entry.Actor,
                entry.Action,
                entry.SubjectType,
                entry.SubjectId,
                Details = CanonicalJson.Serialize(entry.Details ?? new { }),
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Appends many events in one round trip (binary COPY into the outbox), joining the caller's
    /// transaction: for features that emit events in bulk, such as a fixity run or playback ranges.
    /// </summary>
    public async Task AppendManyAsync(NpgsqlConnection connection, IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var occurredAt = time.GetUtcNow().UtcDateTime;
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY audit_outbox (occurred_at, actor, action, subject_type, subject_id, details) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var entry in entries)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(occurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(entry.Actor, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(entry.Action, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(entry.SubjectType, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(entry.SubjectId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(CanonicalJson.Serialize(entry.Details ?? new { }), NpgsqlDbType.Text, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Appends on its own connection, for events that are not part of a catalogue change.</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await AppendAsync(connection, null, entry, cancellationToken);
    }
}
