using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Retention;
using Npgsql;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// One recording's retention as a records manager sees it: the catalogue's record, the policy's plan
/// with its reasons, every hold and decision, and each object's lock as the store reports it now (read
/// back, never assumed, so a drift shows on the page).
/// </summary>
public sealed class RetentionViews(NpgsqlDataSource dataSource, IEvidenceStore store, RetentionQueries queries, RetentionPolicy policy)
{
    public async Task<RecordingRetention?> ViewAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        var row = await queries.RecordingAsync(recordingId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        RetentionPlan? plan = null;
        IReadOnlyList<LiveObject> live;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (await RetentionStore.FactsAsync(connection, recordingId, cancellationToken) is { } facts)
            {
                plan = policy.Plan(facts);
            }

            live = await RetentionStore.LiveObjectsAsync(connection, recordingId, cancellationToken);
        }

        var locks = new List<StoredLock>();
        foreach (var item in live)
        {
            locks.Add(await ReadLockAsync(item, cancellationToken));
        }

        return new RecordingRetention(
            row.Id,
            row.Sha256,
            row.SizeBytes,
            row.OriginalName,
            row.Classification,
            row.RetentionClass,
            Utc.From(row.RetainUntil),
            row.LegalHold,
            row.RetentionFlags,
            Utc.From(row.IngestedAt),
            row.CaseNumbers,
            Utc.From(row.DisposedAt),
            row.DisposedBy,
            row.DisposalReason,
            plan,
            await queries.HoldsAsync(recordingId, cancellationToken),
            locks,
            await queries.DecisionsAsync(recordingId, 100, cancellationToken));
    }

    private async Task<StoredLock> ReadLockAsync(LiveObject item, CancellationToken cancellationToken)
    {
        if (item.Store != store.Name)
        {
            return new StoredLock(item.ObjectId, item.Kind, item.Location.Key, item.RetainUntil, item.LegalHold, null, null, null, $"kept in {item.Store}, not in this player's store {store.Name}");
        }

        try
        {
            var held = await store.GetRetentionAsync(item.Location, cancellationToken);
            return new StoredLock(item.ObjectId, item.Kind, item.Location.Key, item.RetainUntil, item.LegalHold, held.RetainUntil, held.LegalHold, held.Mode, null);
        }
        catch (ObjectNotFoundException)
        {
            return new StoredLock(item.ObjectId, item.Kind, item.Location.Key, item.RetainUntil, item.LegalHold, null, null, null, "the store has no such object");
        }
    }
}
