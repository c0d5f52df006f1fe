namespace Enforcement.Media.Ingest.Uploads;

/// <summary>One tus upload as the catalogue records it. <see cref="Offset"/> counts only bytes fsynced in the staging folder.</summary>
/// <param name="UpdatedAt">When it was created or last advanced, or resumed after its staging reservation lapsed: what expiry and the reservation are measured from.</param>
public sealed record Upload(
    Guid Id,
    Guid ApiKeyId,
    long Length,
    long Offset,
    string? MetadataHeader,
    UploadMetadata Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ArchivedAt,
    string? ReceiptJson)
{
    public bool IsComplete => CompletedAt is not null;

    public long Remaining => Length - Offset;
}
