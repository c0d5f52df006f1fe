using System.Net;

namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>
/// A PATCH answered with a status tus recovers from (<see cref="TusRetries.ResumesAfter"/>): the upload
/// goes on from the server's offset after <see cref="RetryAfter"/> when the server named a wait, else
/// after the backoff. Kept inside the client; what escapes it is a <see cref="TusUploadException"/>.
/// </summary>
internal sealed class ResumableAnswer(string message, HttpStatusCode statusCode, TimeSpan? retryAfter) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
