using Minio;
using Minio.DataModel.Result;
using Minio.Exceptions;
using Minio.Handlers;

namespace Enforcement.Media.Storage.Objects.S3;

/// <summary>Builds a MinIO SDK client for <see cref="S3StoreOptions"/>.</summary>
internal static class MinioClientFactory
{
    /// <param name="handler">Only for tests that put a fault between the client and the server.</param>
    public static IMinioClient Create(S3StoreOptions options, HttpMessageHandler? handler = null)
    {
        var endpoint = new Uri(string.IsNullOrWhiteSpace(options.ServiceUrl) ? $"https://s3.{options.Region}.amazonaws.com" : options.ServiceUrl);

        // The SDK's own client would do, but one we own can carry a test's fault handler; the SDK
        // overwrites its Timeout (30 minutes) and bounds each request itself (WithTimeout).
        var http = new HttpClient(new EmptyErrorMessages(handler ?? new SocketsHttpHandler()), disposeHandler: true);
        return new MinioClient()
            .WithEndpoint(endpoint.Authority)
            .WithSSL(endpoint.Scheme == Uri.UriSchemeHttps)
            .WithRegion(options.Region)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithTimeout((int)Math.Min(int.MaxValue, options.RequestTimeout.TotalMilliseconds))
            .WithRetryPolicy(new TransientRetry())
            .WithHttpClient(http, disposeHttpClient: true)
            .Build();
    }

    /// <summary>
    /// Ceph RGW 16 sends S3 error documents with an empty <c>Message</c>. The SDK builds its exceptions
    /// from that message and its <c>MinioException</c> constructor throws ArgumentNullException("message")
    /// when it is empty, so every error of RGW's would reach the caller as that ArgumentNullException,
    /// its S3 error code lost. This fills an empty message with the code. (An evaluation workaround:
    /// it rewrites what the server said.)
    /// </summary>
    private sealed class EmptyErrorMessages(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType == "application/xml")
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var filled = System.Text.RegularExpressions.Regex.Replace(text, "<Code>([^<]*)</Code>(.*?)<Message></Message>", "<Code>$1</Code>$2<Message>$1</Message>");
                var content = new StringContent(filled, System.Text.Encoding.UTF8, "application/xml");
                response.Content = content;
            }

            return response;
        }
    }

    /// <summary>
    /// The SDK retries nothing by itself (no retry policy is set by default). Three more tries of a
    /// request that failed on the network or with a server error (HTTP 5xx), with back-off; the SDK's
    /// request timeout covers all tries together, since the policy's callback carries its token.
    /// </summary>
    private sealed class TransientRetry : IRetryPolicyHandler
    {
        public async Task<ResponseResult> Handle(Func<Task<ResponseResult>> executeRequestCallback)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await executeRequestCallback();
                }
                catch (Exception ex) when (attempt < 3 && IsTransient(ex))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << attempt)));
                }
            }
        }

        private static bool IsTransient(Exception ex) => ex switch
        {
            HttpRequestException or IOException => true,
            MinioException { Response.Code: "InternalError" or "ServiceUnavailable" or "SlowDown" } => true,
            MinioException { ServerResponse.StatusCode: >= System.Net.HttpStatusCode.InternalServerError } => true,
            _ => false,
        };
    }
}
