namespace Enforcement.Media.Ingest.Uploads;

public enum PatchResult
{
    /// <summary>The chunk is appended and fsynced (204).</summary>
    Appended,

    /// <summary>The upload vanished meanwhile (terminated): 404.</summary>
    NotFound,

    /// <summary>Another request holds the upload (423): concurrent PATCHes are refused, never interleaved.</summary>
    Locked,

    /// <summary>Upload-Offset is not the upload's offset (409).</summary>
    OffsetMismatch,

    /// <summary>The chunk did not match its Upload-Checksum and was discarded (460).</summary>
    ChecksumMismatch,

    /// <summary>The chunk would go past Upload-Length (413); its bytes were discarded.</summary>
    TooLong,

    /// <summary>The staging disk has too little room (507); the bytes already confirmed are untouched.</summary>
    InsufficientStorage,

    /// <summary>The client went away mid-chunk; what arrived was kept (without a checksum) or discarded (with one).</summary>
    ClientGone,
}
