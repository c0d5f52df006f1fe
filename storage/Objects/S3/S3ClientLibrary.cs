namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>Which S3 client library the S3 evidence store speaks through (<c>Store:S3:Client</c>).</summary>
public enum S3ClientLibrary
{
    /// <summary>AWSSDK.S3.</summary>
    AwsSdk,

    /// <summary>The MinIO .NET SDK (package Minio).</summary>
    Minio,
}
