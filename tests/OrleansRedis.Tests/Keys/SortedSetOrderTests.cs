using OrleansRedis.Grains.Keys;
using Xunit;

namespace OrleansRedis.Tests.Keys;

/// <summary>The sorted set's skip list against a plain sorted list, under random adds, score changes and removals.</summary>
public sealed class SortedSetOrderTests
{
    [Fact]
    public void RanksRangesAndWalksAgreeWithASortedListThroughRandomChanges()
    {
        var random = new Random(7);
        var zset = new SortedSetValue();
        var reference = new Dictionary<string, double>();
        for (int step = 0; step < 20_000; step++)
        {
            string member = $"m{random.Next(600)}";
            if (random.Next(3) == 0)
            {
                Assert.Equal(reference.Remove(member), zset.Remove(Bytes(member)));
            }
            else
            {
                double score = random.Next(40) / 4.0;
                Assert.Equal(!reference.ContainsKey(member), zset.Set(Bytes(member), score));
                reference[member] = score;
            }

            if (step % 500 != 0)
            {
                continue;
            }

            var order = reference.OrderBy(p => p.Value).ThenBy(p => Bytes(p.Key), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).Select(p => p.Key).ToList();
            Assert.Equal(order, zset.InOrder().Select(Text));
            Assert.Equal(Enumerable.Reverse(order), zset.InOrder(reverse: true).Select(Text));
            for (int i = 0; i < order.Count; i += 37)
            {
                Assert.Equal(i, zset.RankOf(Bytes(order[i]), reverse: false));
                Assert.Equal(order.Count - 1 - i, zset.RankOf(Bytes(order[i]), reverse: true));
                Assert.Equal(order.Skip(i).Take(5), zset.FromRank(i, reverse: false).Take(5).Select(Text));
                Assert.Equal(Enumerable.Reverse(order).Skip(i).Take(5), zset.FromRank(i, reverse: true).Take(5).Select(Text));
            }

            double min = random.Next(40) / 4.0, max = min + (random.Next(12) / 4.0);
            var inRange = order.Where(m => reference[m] >= min && reference[m] <= max).ToList();
            Assert.Equal(inRange, zset.ByScore(min, max, reverse: false).Select(Text));
            Assert.Equal(Enumerable.Reverse(inRange), zset.ByScore(min, max, reverse: true).Select(Text));
            Assert.Equal(inRange.Count, zset.CountBetween(e => e.Score < min, e => e.Score > max));
            Assert.Equal(-1, zset.RankOf(Bytes("absent"), reverse: false));
        }
    }

    private static byte[] Bytes(string text) => System.Text.Encoding.ASCII.GetBytes(text);

    private static string Text(SortedSetValue.Entry entry) => System.Text.Encoding.ASCII.GetString(entry.Member!);
}
