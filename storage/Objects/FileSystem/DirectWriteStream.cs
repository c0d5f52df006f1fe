using System.Buffers;
using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Enforcement.Media.Storage.Objects.FileSystem;

/// <summary>
/// Writes a new file from its first byte to its last past the page cache (Linux <c>O_DIRECT</c>):
/// the disk takes the bytes from this stream's own buffers and the kernel never copies them.
/// <see cref="CompleteAsync"/> ends the file and makes it durable.
/// </summary>
/// <remarks>
/// Why: an original is written once and read rarely (the probe reads its header), so caching it gains
/// nothing, while copying every byte into the page cache was the largest single cost of storing one.
/// On the two-core development VM, 2 GiB written through the page cache cost 3.9-4.8 s of kernel CPU
/// (copy_folio_from_iter_atomic), written direct 0.4 s (README, "Benchmarks").
/// <para>
/// Direct I/O needs aligned buffer addresses, file offsets and lengths, so writes are gathered into
/// aligned blocks of <see cref="BlockSize"/>, and each full block is written while the next one fills.
/// Gathering copies each byte once in user space (about 0.14 s per GiB here), a fraction of the
/// kernel's copy it replaces.
/// The last, partial block is written through the page cache (<c>O_DIRECT</c> cleared), so the file
/// ends exactly at its length; the fsync in <see cref="CompleteAsync"/> makes all of it durable. A
/// filesystem that refuses direct I/O (when it is switched on, or at a write that needs more alignment)
/// gets the same bytes through the page cache: slower, never different.
/// </para>
/// </remarks>
internal sealed partial class DirectWriteStream : Stream
{
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>Covers 512-byte and 4 KiB logical blocks, the sizes disks and filesystems use.</summary>
    private const int Alignment = 4096;

    private const int GetStatusFlags = 3; // F_GETFL
    private const int SetStatusFlags = 4; // F_SETFL

    private readonly SafeFileHandle _file;
    private AlignedBlock _filling = new(BlockSize, Alignment);
    private AlignedBlock _writing = new(BlockSize, Alignment);
    private int _filled;
    private long _handedOver;
    private Task _pendingWrite = Task.CompletedTask;
    private bool _completed;
    private bool _released;

    private DirectWriteStream(SafeFileHandle file)
    {
        _file = file;
        IsDirect = TrySetDirect(file, true);
    }

    /// <summary>Whether full blocks currently go past the page cache.</summary>
    public bool IsDirect { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _handedOver + _filled;
        set => throw new NotSupportedException();
    }

    /// <summary>Creates <paramref name="path"/>, which must not exist yet.</summary>
    public static DirectWriteStream CreateNew(string path) =>
        new(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Take(buffer.Span)..];
            if (_filled == BlockSize)
            {
                await _pendingWrite;
                HandOverFullBlock(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Take(buffer)..];
            if (_filled == BlockSize)
            {
                _pendingWrite.GetAwaiter().GetResult();
                HandOverFullBlock(CancellationToken.None);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Waits until every full block is written; the partial last block waits for <see cref="CompleteAsync"/>.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => _pendingWrite.WaitAsync(cancellationToken);

    public override void Flush() => _pendingWrite.GetAwaiter().GetResult();

    /// <summary>Writes what is left and flushes the file to the disk (fsync): after this, every byte written is durable. No writes after it.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        await _pendingWrite;
        _completed = true;
        if (_filled > 0)
        {
            // A length that is not a multiple of the alignment cannot be written direct.
            StopDirect();
            await RandomAccess.WriteAsync(_file, _filling.Memory[.._filled], _handedOver, cancellationToken);
            _handedOver += _filled;
            _filled = 0;
        }

        RandomAccess.FlushToDisk(_file);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseAsync().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Closes the file and frees the blocks, but only once no write is in flight: the disk may still
    /// be reading a block's memory (a write that failed is the caller's to see, not this one's).
    /// </summary>
    private async Task ReleaseAsync()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        await Task.WhenAny(_pendingWrite);
        _completed = true;
        _file.Dispose();
        ((IDisposable)_filling).Dispose();
        ((IDisposable)_writing).Dispose();
    }

    private int Take(ReadOnlySpan<byte> bytes)
    {
        var taken = Math.Min(bytes.Length, BlockSize - _filled);
        bytes[..taken].CopyTo(_filling.GetSpan()[_filled..]);
        _filled += taken;
        return taken;
    }

    /// <summary>Starts writing the full block (the one before it is written) and takes the other block to fill.</summary>
    private void HandOverFullBlock(CancellationToken cancellationToken)
    {
        (_filling, _writing) = (_writing, _filling);
        _pendingWrite = WriteBlockAsync(_writing.Memory, _handedOver, cancellationToken);
        _handedOver += BlockSize;
        _filled = 0;
    }

    private async Task WriteBlockAsync(ReadOnlyMemory<byte> block, long offset, CancellationToken cancellationToken)
    {
        // Off the caller's thread: the next block is filled (and hashed) while this one goes to the disk.
        await Task.Yield();
        try
        {
            await RandomAccess.WriteAsync(_file, block, offset, cancellationToken);
        }
        catch (IOException) when (IsDirect)
        {
            // EINVAL from a filesystem that took O_DIRECT but needs another alignment; a full disk
            // fails again below and is reported as such.
            StopDirect();
            await RandomAccess.WriteAsync(_file, block, offset, cancellationToken);
        }
    }

    private void StopDirect()
    {
        if (IsDirect && !TrySetDirect(_file, false))
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "O_DIRECT could not be switched off for a file being written.");
        }

        IsDirect = false;
    }

    /// <summary>Switches O_DIRECT on or off for the open file; false if the system or filesystem refuses it.</summary>
    private static bool TrySetDirect(SafeFileHandle file, bool direct)
    {
        if (DirectFlag() is not { } flag)
        {
            return false;
        }

        var fd = (int)file.DangerousGetHandle();
        var flags = Fcntl(fd, GetStatusFlags, 0);
        return flags >= 0 && Fcntl(fd, SetStatusFlags, direct ? flags | flag : flags & ~flag) == 0;
    }

    /// <summary>O_DIRECT's value differs between Linux architectures.</summary>
    private static int? DirectFlag() => !OperatingSystem.IsLinux() ? null : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>Native memory at an aligned address, as direct I/O requires of the buffers it reads.</summary>
    private sealed unsafe class AlignedBlock(int length, int alignment) : MemoryManager<byte>
    {
        private void* _pointer = NativeMemory.AlignedAlloc((nuint)length, (nuint)alignment);

        public override Span<byte> GetSpan() => new(_pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
    }
}
