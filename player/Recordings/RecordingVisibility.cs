using System.Security.Claims;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Exports;
using Npgsql;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// Whether a user may see a recording (issue 6 §2: their unit's, or linked to a case of their unit or
/// assigned to them). The one place the pages and markers ask, so the rule lives in one query.
/// </summary>
public sealed class RecordingVisibility(NpgsqlDataSource dataSource)
{
    public async Task<bool> MaySeeAsync(ClaimsPrincipal user, Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var visible = await ExportStore.VisibleAsync(connection, transaction, user.UserId(), user.UnitCode(), [recordingId], cancellationToken);
        return visible.Count == 1;
    }
}
