using Dapper;
using Enforcement.Media.Player.Visibility;
using Npgsql;

namespace Enforcement.Media.Player.Publications;

/// <summary>A rendered redaction the publication office may ask to publish: where it is from, and why it was made.</summary>
public sealed record ReadyRedaction(Guid Id, Guid RecordingId, string OriginalName, string? CaseNumber, string Reason, string CreatedByActor, DateTime? FinishedAt);

/// <summary>
/// The rendered redactions of the footage a user may see, newest first: how the publication office, which
/// reads no cases and no recording pages, finds what there is to publish.
/// </summary>
public sealed class ReadyRedactions(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ReadyRedaction>> ListAsync(Viewer viewer, int limit, CancellationToken cancellationToken)
    {
        // The case named is the one the watermark would name: the first live link's.
        const string sql = $"""
            SELECT d.id, d.recording_id, r.original_name,
                   (SELECT cs.case_number FROM recording_links l JOIN cases cs ON cs.id = l.case_id
                    WHERE l.recording_id = r.id AND l.unlinked_at IS NULL
                    ORDER BY l.linked_at, cs.case_number LIMIT 1) AS case_number,
                   d.reason, d.created_by_actor, d.finished_at
            FROM redactions d
            JOIN recordings r ON r.id = d.recording_id
            WHERE d.state = 'ready' AND {RecordingVisibility.Predicate}
            ORDER BY d.finished_at DESC NULLS LAST, d.id DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReadyRedaction>(new CommandDefinition(
            sql, new { viewerId = viewer.UserId, viewerUnit = viewer.UnitCode, limit }, cancellationToken: cancellationToken));
        return [.. rows];
    }
}
