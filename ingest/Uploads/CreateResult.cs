namespace Enforcement.Media.Ingest.Uploads;

public enum CreateResult
{
    /// <summary>The upload exists and its length is reserved on the staging disk (201).</summary>
    Created,

    /// <summary>The key's pending uploads and this one would go past <see cref="UploadOptions.MaxPendingBytesPerKey"/> (507); nothing was created.</summary>
    KeyLimitReached,

    /// <summary>The staging disk cannot promise this length beside every live reservation and the free space kept (507); nothing was created.</summary>
    InsufficientStorage,
}
