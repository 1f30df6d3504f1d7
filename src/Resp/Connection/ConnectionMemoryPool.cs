using System.Buffers;

namespace OrleansRedis.Resp.Connection;

/// <summary>
/// The memory the connections' pipes read and write through: segments up to 64 KB come from the
/// shared array pool (reused, the common case), larger ones are plain arrays that the garbage
/// collector takes back once the pipe lets them go. The shared pool would keep a client's 1 MB
/// reply segments after it disconnects, and the process's memory would not come back.
/// </summary>
public sealed class ConnectionMemoryPool : MemoryPool<byte>
{
    private const int PooledUpTo = 64 * 1024;

    /// <summary>The one instance.</summary>
    public static readonly ConnectionMemoryPool Instance = new();

    /// <inheritdoc/>
    public override int MaxBufferSize => Array.MaxLength;

    /// <inheritdoc/>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        int size = minBufferSize <= 0 ? 4096 : minBufferSize;
        return size <= PooledUpTo ? new Pooled(ArrayPool<byte>.Shared.Rent(size)) : new Unpooled(GC.AllocateUninitializedArray<byte>(size));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Pooled(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Pooled));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } array)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }

    private sealed class Unpooled(byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = array;

        public void Dispose()
        {
        }
    }
}
