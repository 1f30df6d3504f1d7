using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Node;
using Xunit;

namespace OrleansRedis.Tests.Keys;

/// <summary>
/// The node index's table against a plain dictionary, through random adds, changes, removals
/// and walks (shards growing and shrinking), and under concurrent changes of the same keys.
/// </summary>
public sealed class KeyTableTests
{
    [Fact]
    public void EveryOperationAgreesWithADictionaryThroughRandomChanges()
    {
        var random = new Random(5);
        var table = new KeyTable<long>();
        var reference = new Dictionary<byte[], long>(ByteArrayComparer.Instance);
        for (int step = 0; step < 200_000; step++)
        {
            // Phases that grow the table to thousands of keys, then shrink it back, then grow again.
            int phase = step / 25_000 % 2;
            var key = Key(random.Next(phase == 0 ? 20_000 : 4_000));
            int choice = random.Next(100);
            if (choice < (phase == 0 ? 50 : 20))
            {
                long value = random.NextInt64();
                var outcome = table.Change(key, value, static (_, _, v) => (true, v));
                bool existed = reference.TryGetValue(key, out long before);
                Assert.Equal(existed, outcome.Existed);
                Assert.Equal(existed ? before : 0, outcome.Before);
                Assert.True(outcome.Exists);
                Assert.Equal(value, outcome.After);
                reference[key] = value;
            }
            else if (choice < 80)
            {
                bool removed = table.TryRemove(key, out long value);
                Assert.Equal(reference.Remove(key, out long expected), removed);
                Assert.Equal(removed ? expected : 0, value);
            }
            else if (choice < 95)
            {
                // A change that keeps a key only while its value is even, and doubles it.
                var outcome = table.Change(key, 0, static (exists, v, _) => exists && v % 2 == 0 ? (true, v * 2) : (false, 0L));
                bool existed = reference.TryGetValue(key, out long before);
                Assert.Equal(existed, outcome.Existed);
                if (existed && before % 2 == 0)
                {
                    reference[key] = before * 2;
                }
                else
                {
                    reference.Remove(key);
                }

                Assert.Equal(reference.ContainsKey(key), outcome.Exists);
            }
            else
            {
                Assert.Equal(reference.TryGetValue(key, out long expected), table.TryGetValue(key, out long value));
                Assert.Equal(expected, value);
            }

            Assert.Equal(reference.Count, table.Count);
            if (step % 20_000 == 0)
            {
                Assert.Equal(
                    reference.OrderBy(p => Convert.ToHexString(p.Key)).Select(p => (Convert.ToHexString(p.Key), p.Value)),
                    table.Pairs().OrderBy(p => Convert.ToHexString(p.Key)).Select(p => (Convert.ToHexString(p.Key), p.Value)));
            }
        }
    }

    [Fact]
    public async Task ConcurrentChangesOfTheSameKeysAreEachAppliedOnce()
    {
        var table = new KeyTable<long>();
        const int Keys = 500, Rounds = 20_000;

        // Two writers add one to random keys, a third removes keys and adds what they held to a
        // total: nothing added may be lost or counted twice.
        long removedTotal = 0;
        var adders = Enumerable.Range(0, 2).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            for (int i = 0; i < Rounds; i++)
            {
                table.Change(Key(random.Next(Keys)), 0, static (exists, v, _) => (true, exists ? v + 1 : 1));
            }
        })).ToArray();
        var remover = Task.Run(() =>
        {
            var random = new Random(9);
            while (!adders.All(a => a.IsCompleted))
            {
                if (table.TryRemove(Key(random.Next(Keys)), out long value))
                {
                    removedTotal += value;
                }
            }
        });
        await Task.WhenAll([.. adders, remover]);
        long left = table.Pairs().Sum(p => p.Value);
        Assert.Equal(2L * Rounds, left + removedTotal);
        Assert.Equal(table.Pairs().Count(), table.Count);
    }

    private static byte[] Key(int n) => System.Text.Encoding.ASCII.GetBytes("key:" + n);
}
