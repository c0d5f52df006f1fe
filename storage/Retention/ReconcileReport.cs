namespace Enforcement.Media.Storage.Retention;

public sealed record ReconcileReport(int RecordingsChecked, int ObjectsChecked, IReadOnlyList<RetentionDrift> Drifts)
{
    /// <summary>Drifts that could not be repaired (e.g. an object missing from the store).</summary>
    public int Unrepaired => Drifts.Count(d => !d.Repaired);
}
