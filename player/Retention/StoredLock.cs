namespace Enforcement.Media.Player.Retention;

/// <summary>
/// One live object of a recording (original or derivative): the lock the catalogue records beside the
/// lock the store itself reports, read back now. <paramref name="StoreProblem"/> says why the store gave
/// no answer (the object is missing, or lives in another store).
/// </summary>
public sealed record StoredLock(
    Guid ObjectId,
    string Kind,
    string Key,
    DateTimeOffset CatalogueRetainUntil,
    bool CatalogueLegalHold,
    DateTimeOffset? StoreRetainUntil,
    bool? StoreLegalHold,
    string? StoreMode,
    string? StoreProblem);
