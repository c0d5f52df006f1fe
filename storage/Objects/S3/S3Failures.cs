using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Enforcement.Media.Storage.Startup;

namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>Turns S3 failures an operator fixes in configuration into errors that name the setting.</summary>
internal static class S3Failures
{
    public static bool IsNoLockConfiguration(AmazonS3Exception ex) =>
        ex.ErrorCode is "ObjectLockConfigurationNotFoundError" or "NoSuchObjectLockConfiguration" or "InvalidRequest";

    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call, S3StoreOptions options)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (Translate(ex, options) is { } problem)
        {
            throw problem;
        }
    }

    public static async Task TranslateAsync(Func<Task> call, S3StoreOptions options) =>
        await TranslateAsync(async () => { await call(); return true; }, options);

    private static StartupCheckException? Translate(Exception ex, S3StoreOptions options)
    {
        var section = S3StoreOptions.Section;
        return ex switch
        {
            AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" } =>
                new StartupCheckException($"{section}:AccessKey", $"The S3 server at '{options.ServiceUrl}' does not know the configured access key.", ex),
            AmazonS3Exception { ErrorCode: "SignatureDoesNotMatch" } =>
                new StartupCheckException($"{section}:SecretKey", $"The S3 server at '{options.ServiceUrl}' rejected the secret key.", ex),
            AmazonS3Exception { ErrorCode: "AccessDenied" } =>
                new StartupCheckException($"{section}:AccessKey", $"The configured S3 credentials may not use bucket '{options.Bucket}'.", ex),
            _ when IsTimeout(ex) =>
                new StartupCheckException(
                    $"{section}:RequestTimeout",
                    $"The S3 server at '{options.ServiceUrl}' did not answer within {options.RequestTimeout}, nor when tried again: it is unreachable without refusing (check Store:S3:ServiceUrl), or it hangs, as Ceph RGW does once an OSD is full ('ceph health').",
                    ex),
            _ when IsUnreachable(ex) =>
                new StartupCheckException($"{section}:ServiceUrl", $"Cannot reach the S3 server at '{options.ServiceUrl}': {Innermost(ex).Message}", ex),
            _ => null,
        };
    }

    /// <summary>
    /// Runs <paramref name="call"/> (a store operation <paramref name="doing"/> something), turning the
    /// SDK's own deadline - a cancellation nobody asked for - into the store's timeout, which names the
    /// setting and says what became of the object (<paramref name="consequence"/>).
    /// </summary>
    public static async Task<T> NamingTimeoutsAsync<T>(Func<Task<T>> call, S3StoreOptions options, string doing, string consequence, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not EvidenceStoreTimeoutException && IsTimeout(ex))
        {
            throw Timeout(options, doing, consequence, ex);
        }
    }

    private static EvidenceStoreTimeoutException Timeout(S3StoreOptions options, string doing, string consequence, Exception inner) =>
        new(
            $"The S3 server at '{options.ServiceUrl}' did not answer a request to {doing} within {options.RequestTimeout} ({S3StoreOptions.Section}:RequestTimeout), "
            + $"nor when it was tried again; {consequence}. Ceph RGW holds every write this way once an OSD is full ('ceph health').",
            inner);

    /// <summary>
    /// A request that ran out of <see cref="S3StoreOptions.RequestTimeout"/>: HttpClient reports its
    /// deadline as a TaskCanceledException around a TimeoutException.
    /// </summary>
    public static bool IsTimeout(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnreachable(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException or SocketException)
            {
                return true;
            }
        }

        return ex is AmazonServiceException { StatusCode: 0 } || ex is AmazonClientException && ex is not AmazonServiceException;
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
