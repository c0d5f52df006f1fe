using Dapper;
using Npgsql;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>SQL for <see cref="RecordingStanding"/> (<c>recordings</c>; migrations 0001 and 0005).</summary>
public sealed class RecordingStandings(NpgsqlDataSource dataSource)
{
    public async Task<RecordingStanding?> FindAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT disposed_at IS NOT NULL AS disposed, quarantine_reason FROM recordings WHERE id = @recordingId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RecordingStanding>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
    }
}
