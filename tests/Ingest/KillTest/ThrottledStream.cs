namespace Enforcement.Media.Tests.Ingest.KillTest;

/// <summary>
/// Hands out a byte array slowly (a phone on a bad network), so a PATCH body is still streaming
/// when the server is killed.
/// </summary>
public sealed class ThrottledStream(byte[] bytes, int start, int pieceBytes, TimeSpan pause) : Stream
{
    private readonly int _start = start;
    private int _position = start;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => bytes.Length - _start;

    public override long Position
    {
        get => _position - _start;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= bytes.Length)
        {
            return 0;
        }

        await Task.Delay(pause, cancellationToken);
        var count = Math.Min(Math.Min(buffer.Length, pieceBytes), bytes.Length - _position);
        bytes.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
