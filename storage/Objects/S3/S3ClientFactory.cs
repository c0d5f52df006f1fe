using Amazon.Runtime;
using Amazon.S3;

namespace Enforcement.Media.Storage.Objects.S3;

internal static class S3ClientFactory
{
    /// <param name="httpClientFactory">Only for tests that put a fault between the client and the server.</param>
    public static AmazonS3Client Create(S3StoreOptions options, HttpClientFactory? httpClientFactory = null)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Checksums are computed and sent explicitly (Content-MD5, x-amz-checksum-sha256). The SDK's
            // own "when supported" trailers are aws-chunked uploads that Ceph RGW 16 rejects
            // (XAmzContentSHA256Mismatch), and MinIO/AWS verify the explicit headers anyway.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 3,
            Timeout = options.RequestTimeout,
        };
        if (httpClientFactory is not null)
        {
            config.HttpClientFactory = httpClientFactory;
        }

        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
