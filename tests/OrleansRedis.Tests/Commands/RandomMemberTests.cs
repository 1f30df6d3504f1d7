using OrleansRedis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;

namespace OrleansRedis.Tests.Commands;

/// <summary>
/// ZRANDMEMBER draws, which no byte-for-byte comparison can check: checked for the properties
/// Redis guarantees, on our server and on redis-server alike — members of the set only, distinct
/// for a positive count, as many as asked for a negative one, every member reachable, and only
/// the members left after removals (the draw's list of members is kept by swap-removal).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RandomMemberTests(ClusterFixture fixture)
{
    [Fact]
    public async Task DrawsAreMembersDistinctWhenAskedAndReachEveryMember()
    {
        foreach (int port in new[] { fixture.Port, fixture.Redis.Port })
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
            var db = connection.GetDatabase(8);
            RedisKey key = "random:" + Guid.NewGuid().ToString("N");
            await db.SortedSetAddAsync(key, Enumerable.Range(0, 100).Select(i => new SortedSetEntry($"m{i}", i)).ToArray());
            var members = Enumerable.Range(0, 100).Select(i => $"m{i}").ToHashSet();

            foreach (int count in new[] { 10, 60, 100, 150 })
            {
                var drawn = (await db.SortedSetRandomMembersAsync(key, count)).Select(m => m.ToString()).ToList();
                Assert.Equal(Math.Min(count, 100), drawn.Count);
                Assert.Equal(drawn.Count, drawn.Distinct().Count());
                Assert.All(drawn, m => Assert.Contains(m, members));
            }

            var repeated = (await db.SortedSetRandomMembersAsync(key, -3000)).Select(m => m.ToString()).ToList();
            Assert.Equal(3000, repeated.Count);
            Assert.All(repeated, m => Assert.Contains(m, members));
            Assert.Equal(100, repeated.Distinct().Count());

            var singles = new HashSet<string>();
            for (int i = 0; i < 3000; i++)
            {
                singles.Add((await db.SortedSetRandomMemberAsync(key)).ToString());
            }

            Assert.Equal(members, singles);

            // After removing every even member, draws only meet odd ones, and all of them.
            await db.SortedSetRemoveAsync(key, Enumerable.Range(0, 50).Select(i => (RedisValue)$"m{2 * i}").ToArray());
            var left = (await db.SortedSetRandomMembersAsync(key, -3000)).Select(m => m.ToString()).ToHashSet();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{(2 * i) + 1}").ToHashSet(), left);
            await db.KeyDeleteAsync(key);
        }
    }
}
