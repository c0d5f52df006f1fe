using Dapper;
using Npgsql;

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

    /// <summary>Appends on its own connection, for events that are not part of a catalogue change.</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await AppendAsync(connection, null, entry, cancellationToken);
    }
}
