using Dapper;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// SQL for the render side of <c>publications</c> (migration 0017). A copy is made and set only while the
/// publication is still requested: once someone decided on its exact bytes, they never change.
/// </summary>
public sealed class PublicationRenders(NpgsqlDataSource dataSource)
{
    public async Task<PublicationRender?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, redaction_id, recording_id, watermark, render_state, state FROM publications WHERE id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PublicationRender>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Where a redacted object is kept; null when there is no such object of kind <c>redacted</c>.</summary>
    public async Task<ObjectRef?> FindRedactedObjectAsync(Guid objectId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT object_key, version_id FROM stored_objects WHERE id = @objectId AND kind = 'redacted' AND deleted_at IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(new CommandDefinition(sql, new { objectId }, cancellationToken: cancellationToken));
        return row is null ? null : new ObjectRef(row.ObjectKey, row.VersionId);
    }

    public Task<bool> MarkRenderingAsync(Guid id, CancellationToken cancellationToken) =>
        UpdateAsync("render_state = 'rendering', render_failure = NULL", id, null, null, cancellationToken);

    public Task<bool> MarkReadyAsync(Guid id, Guid objectId, CancellationToken cancellationToken) =>
        UpdateAsync("render_state = 'ready', render_failure = NULL, object_id = @objectId", id, objectId, null, cancellationToken);

    public Task<bool> MarkFailedAsync(Guid id, string failure, CancellationToken cancellationToken) =>
        UpdateAsync("render_state = 'failed', render_failure = @failure", id, null, failure, cancellationToken);

    private async Task<bool> UpdateAsync(string set, Guid id, Guid? objectId, string? failure, CancellationToken cancellationToken)
    {
        var sql = $"UPDATE publications SET {set} WHERE id = @id AND state = 'requested' AND render_state IN ('queued', 'rendering', 'failed')";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { id, objectId, failure }, cancellationToken: cancellationToken)) == 1;
    }

    private sealed record ObjectRow(string ObjectKey, string? VersionId);
}
