using System.Collections.Concurrent;
using System.Text;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Node;
using Xunit;

namespace OrleansRedis.Tests.Keys;

/// <summary>
/// The ordered key set behind SCAN, KEYS, RANDOMKEY, eviction samples and active expiry: a
/// walk takes what it is asked for (its cost follows COUNT, not the set's size), pages cover
/// every key once in order, keys present for a whole walk are all returned whatever changes
/// meanwhile, and concurrent changes leave the set as the keys' final state.
/// </summary>
public sealed class PositionIndexTests
{
    private static byte[] Key(int i) => Encoding.ASCII.GetBytes($"key:{i}");

    [Theory]
    [InlineData(6, 1)]
    [InlineData(16, 10)]
    [InlineData(12, 1000)]
    public void PagesHoldWhatWasAskedAndCoverEveryKeyOnceInOrder(int bucketBits, int count)
    {
        var set = new PositionIndex(bucketBits);
        var members = Enumerable.Range(0, 5000).Select(Key).ToList();
        members.ForEach(key => set.Sync(key, static _ => true, 0));
        Assert.Equal(5000, set.Count);

        var seen = new List<byte[]>();
        ulong cursor = 0;
        ulong lastPosition = 0;
        do
        {
            var page = new List<byte[]>();
            cursor = set.Walk(cursor, count, page);
            Assert.True(page.Count == count || cursor == 0, $"a page of {page.Count} for COUNT {count}");
            foreach (var key in page)
            {
                Assert.True(ScanOrder.Position(key) >= lastPosition);
                lastPosition = ScanOrder.Position(key);
            }

            Assert.True(cursor == 0 || cursor > lastPosition);
            seen.AddRange(page);
        }
        while (cursor != 0);

        Assert.Equal(members.Select(Encoding.ASCII.GetString).Order(), seen.Select(Encoding.ASCII.GetString).Order());
    }

    [Fact]
    public void KeysPresentForTheWholeWalkAreReturnedWhileOthersComeAndGo()
    {
        var set = new PositionIndex(8);
        var stable = Enumerable.Range(0, 2000).Select(Key).ToList();
        stable.ForEach(key => set.Sync(key, static _ => true, 0));
        var churn = Enumerable.Range(10_000, 2000).Select(Key).ToList();
        var random = new Random(7);
        var seen = new HashSet<string>();
        ulong cursor = 0;
        do
        {
            // Between pages, half the churning keys flip in or out.
            foreach (var key in churn.Where(_ => random.Next(2) == 0))
            {
                bool add = random.Next(2) == 0;
                set.Sync(key, static add => add, add);
            }

            var page = new List<byte[]>();
            cursor = set.Walk(cursor, 17, page);
            page.ForEach(key => seen.Add(Encoding.ASCII.GetString(key)));
        }
        while (cursor != 0);

        Assert.All(stable, key => Assert.Contains(Encoding.ASCII.GetString(key), seen));
    }

    [Fact]
    public async Task ConcurrentChangesLeaveTheSetAsTheKeysFinalState()
    {
        var set = new PositionIndex(6);
        var truth = new ConcurrentDictionary<int, bool>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            for (int n = 0; n < 20_000; n++)
            {
                int i = random.Next(300);
                // Each change writes the truth, then syncs from it, as the node index does.
                truth[i] = random.Next(2) == 0;
                set.Sync(Key(i), static state => state.truth.TryGetValue(state.i, out bool present) && present, (truth, i));
            }
        })));

        var members = new List<byte[]>();
        Assert.Equal(0UL, set.Walk(0, int.MaxValue, members));
        Assert.Equal(truth.Where(p => p.Value).Select(p => $"key:{p.Key}").Order(), members.Select(Encoding.ASCII.GetString).Order());
        Assert.Equal(members.Count, set.Count);
    }

    [Fact]
    public void RandomDrawsMembersAndNothingFromAnEmptySet()
    {
        var set = new PositionIndex();
        Assert.Null(set.Random());
        var members = Enumerable.Range(0, 50).Select(Key).ToList();
        members.ForEach(key => set.Sync(key, static _ => true, 0));
        var names = members.Select(Encoding.ASCII.GetString).ToHashSet();
        var drawn = Enumerable.Range(0, 500).Select(_ => Encoding.ASCII.GetString(set.Random()!)).ToHashSet();
        Assert.Subset(names, drawn);
        Assert.True(drawn.Count > 25, $"only {drawn.Count} of 50 keys drawn in 500 tries");

        set.Clear();
        Assert.Equal(0, set.Count);
        Assert.Null(set.Random());
    }
}
