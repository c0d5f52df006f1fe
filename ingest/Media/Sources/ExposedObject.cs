using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Ingest.Media.Sources;

/// <summary>
/// One object made readable to ffmpeg at <see cref="Uri"/> (loopback only, unguessable, expiring).
/// Disposing it revokes the address at once. It also tells whether the store failed while the tool
/// was reading, so a store outage is never mistaken for damaged media.
/// </summary>
public sealed class ExposedObject : IDisposable
{
    private readonly LoopbackObjectServer _server;
    private readonly string _token;
    private Exception? _failure;
    private int _requests;
    private int _rangeRequests;
    private long _bytesServed;

    internal ExposedObject(LoopbackObjectServer server, string token, Uri uri, ObjectRef location, long length, DateTimeOffset expiresAt)
    {
        _server = server;
        _token = token;
        Uri = uri;
        Location = location;
        Length = length;
        ExpiresAt = expiresAt;
    }

    /// <summary>The address to give ffmpeg. Contains the token: never log it beyond the tool's own command line.</summary>
    public Uri Uri { get; }

    public ObjectRef Location { get; }

    public long Length { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Requests served so far (ffmpeg makes one per seek).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that asked for a byte range the server answered with 206.</summary>
    public int RangeRequests => Volatile.Read(ref _rangeRequests);

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    /// <summary>The first error the store raised while serving this object, if any.</summary>
    public Exception? SourceFailure => Volatile.Read(ref _failure);

    /// <summary>Throws <see cref="MediaSourceException"/> when the store failed during the tool's run.</summary>
    public void ThrowIfSourceFailed()
    {
        if (SourceFailure is { } failure)
        {
            throw new MediaSourceException($"Reading {Location} from the evidence store failed while a media tool read it: {failure.Message}", failure);
        }
    }

    public void Dispose() => _server.Revoke(_token);

    internal void Counted(RangeAnswerKind kind)
    {
        Interlocked.Increment(ref _requests);
        if (kind == RangeAnswerKind.Partial)
        {
            Interlocked.Increment(ref _rangeRequests);
        }
    }

    internal void Served(long bytes) => Interlocked.Add(ref _bytesServed, bytes);

    internal void Failed(Exception failure) => Interlocked.CompareExchange(ref _failure, failure, null);
}
