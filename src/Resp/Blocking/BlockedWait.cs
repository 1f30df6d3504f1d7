using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Connection;

namespace OrleansRedis.Resp.Blocking;

/// <summary>
/// One client blocked in one command, waiting on its keys. It is waiting until a key grain
/// claims it (then a delivery follows) or it ends otherwise (timeout, CLIENT UNBLOCK,
/// disconnect): whichever comes first wins, so exactly one of its keys serves it.
/// </summary>
public sealed class BlockedWait(long id, ClientConnection client, byte[][] keys, Reply onTimeout)
{
    private const int Waiting = 0, Claimed = 1, Done = 2;
    private readonly TaskCompletionSource<(byte[]? Key, Reply Reply)> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    /// <summary>Its id, which key grains keep.</summary>
    public long Id => id;

    /// <summary>The blocked client.</summary>
    public ClientConnection Client => client;

    /// <summary>The keys it waits on, in the order given.</summary>
    public byte[][] Keys => keys;

    /// <summary>Its reply when it times out (nil, in the command's shape).</summary>
    public Reply OnTimeout => onTimeout;

    /// <summary>What each of its keys is to do for it, in the order of <see cref="Keys"/>.</summary>
    public Abstractions.Grains.Waiter[] Waiters { get; set; } = [];

    /// <summary>The client's database when it blocked.</summary>
    public int Db { get; set; }

    /// <summary>Set once it is registered on all its keys: from then on its registrations are checked.</summary>
    public bool Registered { get; set; }

    /// <summary>Completes with the key that served it and the pop's reply, or with no key when it ended otherwise.</summary>
    public Task<(byte[]? Key, Reply Reply)> Result => _result.Task;

    /// <summary>Whether it still waits (CLIENT LIST's flag b counts claimed ones too).</summary>
    public bool IsWaiting => Volatile.Read(ref _state) != Done;

    /// <summary>A key grain claims it for one delivery; refused when it no longer waits or its client has gone.</summary>
    public bool TryClaim() => !client.PeerHasClosed && Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;

    /// <summary>What a claiming grain popped; <see cref="NoReply"/> puts it back to waiting.</summary>
    public void Deliver(byte[] key, Reply reply)
    {
        if (reply is NoReply)
        {
            Interlocked.CompareExchange(ref _state, Waiting, Claimed);
            return;
        }

        Volatile.Write(ref _state, Done);
        _result.TrySetResult((key, reply));
    }

    /// <summary>Ends it without a delivery (timeout, CLIENT UNBLOCK, disconnect), unless a grain has claimed it.</summary>
    public bool TryEnd(Reply reply)
    {
        if (Interlocked.CompareExchange(ref _state, Done, Waiting) != Waiting)
        {
            return false;
        }

        _result.TrySetResult((null, reply));
        return true;
    }
}
