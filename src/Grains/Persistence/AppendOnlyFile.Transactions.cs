using Microsoft.Extensions.Logging;

namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// Transactions of two keys' records (LMOVE, RPOPLPUSH, SMOVE): the source key's grain opens
/// one with its pop, the destination's grain (on this node) or the source itself closes it, and
/// the writer puts both halves, with whatever was appended between them, into one write call
/// between MULTI and EXEC. So a killed process has written both or neither, and a block that a
/// power loss cut short is dropped at load (<see cref="AofScanner"/>), as Redis drops it. Each
/// grain appends its own records in its own turn, so every key's records stay in the order its
/// grain applied them. One transaction is open at a time per node.
/// </summary>
public sealed partial class AppendOnlyFile
{
    // A close that has not come by then (a bug, or a call that hangs) ends the block without it.
    private static readonly TimeSpan TransactionCloseTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _transactionGate = new(1, 1);
    private long _lastTransaction;

    /// <summary>What an appended record does to a transaction.</summary>
    private enum TransactionStep : byte
    {
        None,
        Open,
        Close,
    }

    /// <summary>
    /// Waits until no other transaction is open, and reserves one: call before changing the key
    /// whose records open it, so that no other record of that key can come between.
    /// </summary>
    public async ValueTask<Transaction> BeginTransaction()
    {
        await _transactionGate.WaitAsync();
        return new Transaction(this, Interlocked.Increment(ref _lastTransaction));
    }

    /// <summary>
    /// Appends the records of <paramref name="key"/> that close transaction <paramref name="transaction"/>
    /// (a transaction already ended is not reopened: the records are then written plain).
    /// </summary>
    public ValueTask AppendClosing(long transaction, int db, byte[] key, List<byte[][]> commands, bool replacesAll) =>
        Append(new Pending(db, key, commands, replacesAll, NewDone()) { Transaction = transaction, Step = TransactionStep.Close });

    private static TaskCompletionSource NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Error, Message = "AOF transaction {Transaction} was not closed in time: its block ends without its second half")]
    private static partial void LogTransactionNotClosed(ILogger logger, long transaction);

    /// <summary>One open transaction, from its reservation until its close is appended.</summary>
    public sealed class Transaction(AppendOnlyFile file, long id) : IDisposable
    {
        private bool _released;

        /// <summary>Its number, for the grain that closes it.</summary>
        public long Id => id;

        /// <summary>Appends the records that open it (the source key's).</summary>
        public ValueTask Open(int db, byte[] key, List<byte[][]> commands, bool replacesAll)
        {
            return file.Append(new Pending(db, key, commands, replacesAll, NewDone()) { Transaction = id, Step = TransactionStep.Open });
        }

        /// <summary>Appends records that close it, from the grain that opened it.</summary>
        public ValueTask Close(int db, byte[] key, List<byte[][]> commands, bool replacesAll) =>
            file.AppendClosing(id, db, key, commands, replacesAll);

        /// <summary>Lets the next transaction begin (once its close is appended: the writer then holds nothing for it).</summary>
        public void Dispose()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            file._transactionGate.Release();
        }
    }
}
