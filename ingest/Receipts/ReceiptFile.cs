namespace Enforcement.Media.Ingest.Receipts;

/// <summary>
/// What is written for a station beside its docked files (see <see cref="ReceiptFiles"/>): the
/// archive's <see cref="Receipts.Receipt"/> for this delivery, the source it covers, and anything
/// the station should know (e.g. a sidecar that could not be read).
/// A quarantined delivery says so in <c>receipt.quarantineReason</c>; its source is never deleted.
/// </summary>
public sealed record ReceiptFile(int Format, Receipt Receipt, ReceiptSource Source, DateTimeOffset WrittenAt, IReadOnlyList<string> Notes)
{
    public const int CurrentFormat = 1;
}
