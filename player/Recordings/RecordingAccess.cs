using System.Security.Claims;
using Enforcement.Media.Player.Visibility;
using Npgsql;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// Whether a user may see a recording, for the pages and markers: the player's one visibility rule
/// (<see cref="RecordingVisibility"/>), asked on a connection of its own.
/// </summary>
public sealed class RecordingAccess(NpgsqlDataSource dataSource)
{
    public async Task<bool> MaySeeAsync(ClaimsPrincipal user, Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RecordingVisibility.IsVisibleAsync(connection, null, Viewer.Of(user), recordingId, cancellationToken);
    }
}
