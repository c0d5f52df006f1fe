using System.Net;

namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>
/// An upload cannot go on: the server refused it for good (<see cref="StatusCode"/>, with its
/// problem detail in the message), failures outlasted the retries, or the receipt does not match.
/// The file is untouched; a later attempt may resume from the upload's URL.
/// </summary>
public sealed class TusUploadException(string message, HttpStatusCode? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
