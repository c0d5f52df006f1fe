namespace Enforcement.Media.Ingest.Uploads;

/// <summary>Names and values of the tus 1.0.0 resumable upload protocol (https://tus.io/protocols/resumable-upload).</summary>
public static class TusProtocol
{
    public const string Version = "1.0.0";

    /// <summary>Core protocol plus these extensions. Not offered: creation-with-upload, creation-defer-length, concatenation.</summary>
    public const string Extensions = "creation,termination,checksum,expiration";

    public const string ChecksumAlgorithms = "sha256,sha1";

    /// <summary>The only body type a PATCH may have (core protocol; anything else is 415).</summary>
    public const string OffsetOctetStream = "application/offset+octet-stream";

    /// <summary>Checksum extension: the chunk's checksum did not match; it was discarded.</summary>
    public const int ChecksumMismatch = 460;

    public const string TusResumable = "Tus-Resumable";
    public const string TusVersion = "Tus-Version";
    public const string TusExtension = "Tus-Extension";
    public const string TusMaxSize = "Tus-Max-Size";
    public const string TusChecksumAlgorithm = "Tus-Checksum-Algorithm";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadLength = "Upload-Length";
    public const string UploadMetadata = "Upload-Metadata";
    public const string UploadChecksum = "Upload-Checksum";
    public const string UploadDeferLength = "Upload-Defer-Length";
    public const string UploadExpires = "Upload-Expires";
}
