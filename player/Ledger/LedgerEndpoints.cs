using System.Text;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Visibility;
using Npgsql;

namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// The access ledger (调阅台账) for supervisors (<see cref="PlayerPolicies.ReadLedger"/>): every viewing of
/// recordings they may see, filterable; the same as CSV; and per recording, who watched which seconds.
/// </summary>
public static class LedgerEndpoints
{
    public const int MaxRows = 5000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/ledger", async ([AsParameters] LedgerInput input, LedgerStore ledger, LocalClock clock, HttpContext context, CancellationToken cancellationToken) =>
            TypedResults.Ok(new { items = await ledger.ListAsync(Viewer.Of(context.User), LedgerFilter.Parse(input, clock), MaxRows, cancellationToken) }))
            .RequireAuthorization(PlayerPolicies.ReadLedger);

        api.MapGet("/ledger.csv", async ([AsParameters] LedgerInput input, LedgerStore ledger, LocalClock clock, HttpContext context, CancellationToken cancellationToken) =>
            {
                var entries = await ledger.ListAsync(Viewer.Of(context.User), LedgerFilter.Parse(input, clock), MaxRows, cancellationToken);
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(LedgerCsv.Write(entries, clock))).ToArray(), "text/csv; charset=utf-8", "ledger.csv");
            })
            .RequireAuthorization(PlayerPolicies.ReadLedger);

        api.MapGet("/recordings/{recordingId:guid}/watched", async (Guid recordingId, LedgerStore ledger, NpgsqlDataSource dataSource, HttpContext context, CancellationToken cancellationToken) =>
            {
                await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
                {
                    if (await PlaybackStore.RecordingAsync(connection, null, Viewer.Of(context.User), recordingId, cancellationToken) is not { Visible: true })
                    {
                        throw PlaybackRefusedException.NoSuchRecording();
                    }
                }

                return TypedResults.Ok(new { recordingId, users = await ledger.WatchedOfRecordingAsync(recordingId, cancellationToken) });
            })
            .RequireAuthorization(PlayerPolicies.ReadLedger);
    }
}
