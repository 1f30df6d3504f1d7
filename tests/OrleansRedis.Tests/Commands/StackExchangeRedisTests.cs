using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Node;
using OrleansRedis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;

namespace OrleansRedis.Tests.Commands;

/// <summary>What users do with StackExchange.Redis, against the two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StackExchangeRedisTests(ClusterFixture fixture) : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Port},allowAdmin=true");

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task StringsRoundTrip()
    {
        var db = _redis.GetDatabase(1);
        Assert.True(await db.StringSetAsync("se:s", "hello"));
        Assert.Equal("hello", await db.StringGetAsync("se:s"));
        Assert.Equal(11, await db.StringAppendAsync("se:s", " world"));
        Assert.Equal(5, await db.StringIncrementAsync("se:n", 5));
        Assert.Equal(2.5, await db.StringIncrementAsync("se:f", 2.5));
        Assert.False(await db.StringSetAsync("se:s", "x", when: When.NotExists));
        var values = await db.StringGetAsync(["se:s", "se:missing", "se:n"]);
        Assert.Equal(["hello world", null, "5"], values.Select(v => (string?)v));
    }

    [Fact]
    public async Task BinaryKeysAndValuesRoundTripExactly()
    {
        var db = _redis.GetDatabase(1);
        byte[] key = [0xff, 0x00, 0xfe, (byte)'k', 0x80];
        byte[] value = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await db.StringSetAsync(key, value);
        Assert.Equal(value, (byte[]?)await db.StringGetAsync(key));
        var server = _redis.GetServer(_redis.GetEndPoints()[0]);
        var found = server.Keys(1, pattern: "*k*").Select(k => (byte[])k!).ToList();
        Assert.Contains(found, k => k.AsSpan().SequenceEqual(key));
        Assert.True(await db.KeyDeleteAsync(key));
    }

    [Fact]
    public async Task HashesRoundTrip()
    {
        var db = _redis.GetDatabase(1);
        await db.HashSetAsync("se:h", [new("f1", "v1"), new("f2", "v2")]);
        Assert.Equal("v1", await db.HashGetAsync("se:h", "f1"));
        Assert.Equal(2, await db.HashLengthAsync("se:h"));
        Assert.Equal(7, await db.HashIncrementAsync("se:h", "n", 7));
        var all = (await db.HashGetAllAsync("se:h")).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.Equal(new Dictionary<string, string> { ["f1"] = "v1", ["f2"] = "v2", ["n"] = "7" }, all);
        Assert.True(await db.HashDeleteAsync("se:h", "f1"));
        var scanned = db.HashScan("se:h", pageSize: 1).Select(e => (string)e.Name!).Order().ToList();
        Assert.Equal(["f2", "n"], scanned);
    }

    [Fact]
    public async Task ListsRoundTrip()
    {
        var db = _redis.GetDatabase(1);
        await db.KeyDeleteAsync("se:l");
        Assert.Equal(3, await db.ListRightPushAsync("se:l", ["a", "b", "c"]));
        Assert.Equal(4, await db.ListLeftPushAsync("se:l", "z"));
        Assert.Equal(["z", "a", "b", "c"], (await db.ListRangeAsync("se:l")).Select(v => (string?)v));
        Assert.Equal("b", await db.ListGetByIndexAsync("se:l", -2));
        Assert.Equal(5, await db.ListInsertAfterAsync("se:l", "a", "x"));
        Assert.Equal(2, await db.ListPositionAsync("se:l", "x"));
        await db.ListSetByIndexAsync("se:l", 0, "first");
        Assert.Equal(1, await db.ListRemoveAsync("se:l", "x"));
        Assert.Equal(["first", "a"], (await db.ListLeftPopAsync("se:l", 2)).Select(v => (string?)v));
        Assert.Equal("c", await db.ListRightPopAsync("se:l"));
        Assert.Equal(1, await db.ListLengthAsync("se:l"));
        await db.ListTrimAsync("se:l", 5, 10);
        Assert.False(await db.KeyExistsAsync("se:l"));

        // Lists on many keys, spread over both silos, found by SCAN's TYPE filter.
        for (int i = 0; i < 50; i++)
        {
            await db.ListRightPushAsync($"se:lists:{i}", [i.ToString(), "tail"]);
        }

        var result = await db.ExecuteAsync("SCAN", "0", "MATCH", "se:lists:*", "TYPE", "list", "COUNT", "1000");
        Assert.Equal(50, ((RedisResult[])result!)[1].Length);
        Assert.Equal(RedisType.List, await db.KeyTypeAsync("se:lists:7"));
        Assert.Equal("7", await db.ListLeftPopAsync("se:lists:7"));

        // Moves between lists on different silos, as a reliable queue makes them.
        Assert.Equal("tail", await db.ListRightPopLeftPushAsync("se:lists:8", "se:lists:9"));
        Assert.Equal("8", await db.ListMoveAsync("se:lists:8", "se:lists:10", ListSide.Left, ListSide.Right));
        Assert.False(await db.KeyExistsAsync("se:lists:8"));
        Assert.Equal(["tail", "9", "tail"], (await db.ListRangeAsync("se:lists:9")).Select(v => (string?)v));
        Assert.Equal(["10", "tail", "8"], (await db.ListRangeAsync("se:lists:10")).Select(v => (string?)v));

        // Blocking pops through Execute (the library has no blocking API, and a wait would hold its
        // one connection): one waiting, woken by a push from another connection, one served at once.
        var waiting = db.ExecuteAsync("BLPOP", "se:lists:empty", "5");
        await Task.Delay(100);
        using (var other = new Infrastructure.RawClient(fixture.Port))
        {
            other.Call("SELECT", "1");
            other.Call("RPUSH", "se:lists:empty", "late");
        }

        Assert.Equal(["se:lists:empty", "late"], ((RedisResult[])(await waiting)!).Select(r => (string?)r));
        Assert.Equal(["se:lists:11", "tail"], ((RedisResult[])(await db.ExecuteAsync("BRPOP", "se:lists:11", "1"))!).Select(r => (string?)r));
    }

    [Fact]
    public async Task SetsRoundTripAndRandomMembersAreMembers()
    {
        var db = _redis.GetDatabase(1);
        await db.KeyDeleteAsync(["se:set", "se:set2", "se:set3"]);
        Assert.Equal(5, await db.SetAddAsync("se:set", ["a", "b", "c", "d", "e"]));
        Assert.Equal(2, await db.SetAddAsync("se:set2", ["d", "e"]));
        Assert.True(await db.SetContainsAsync("se:set", "a"));
        bool[] contained = await db.SetContainsAsync("se:set", ["b", "z"]);
        Assert.Equal([true, false], contained);
        Assert.Equal(["d", "e"], (await db.SetCombineAsync(SetOperation.Intersect, "se:set", "se:set2")).Select(v => (string)v!).Order());
        Assert.Equal(3, await db.SetCombineAndStoreAsync(SetOperation.Difference, "se:set3", "se:set", "se:set2"));
        Assert.Equal(["a", "b", "c"], (await db.SetMembersAsync("se:set3")).Select(v => (string)v!).Order());
        Assert.Equal(["a", "b", "c"], db.SetScan("se:set3", pageSize: 1).Select(v => (string)v!).Order());
        Assert.True(await db.SetMoveAsync("se:set3", "se:set2", "a"));
        Assert.False(await db.SetMoveAsync("se:set3", "se:set2", "a"));
        Assert.Equal(["a", "d", "e"], (await db.SetMembersAsync("se:set2")).Select(v => (string)v!).Order());
        await db.SetAddAsync("se:set3", "a");

        // Random members: distinct for a positive count, repeats allowed for a negative one, always members.
        var members = new HashSet<string>(["a", "b", "c", "d", "e"]);
        for (int i = 0; i < 50; i++)
        {
            var distinct = (await db.SetRandomMembersAsync("se:set", 3)).Select(v => (string)v!).ToList();
            Assert.Equal(3, distinct.Distinct().Count());
            Assert.All(distinct, m => Assert.Contains(m, members));
            var draws = ((RedisResult[])(await db.ExecuteAsync("SRANDMEMBER", "se:set", "-20"))!).Select(r => (string)r!).ToList();
            Assert.Equal(20, draws.Count);
            Assert.All(draws, m => Assert.Contains(m, members));
            Assert.Contains((string)(await db.SetRandomMemberAsync("se:set"))!, members);
        }

        // SPOP takes each member once: popping everything in pieces yields the whole set.
        var popped = new List<string>();
        popped.AddRange((await db.SetPopAsync("se:set", 2)).Select(v => (string)v!));
        popped.Add((string)(await db.SetPopAsync("se:set"))!);
        popped.AddRange((await db.SetPopAsync("se:set", 10)).Select(v => (string)v!));
        Assert.Equal(members.Order(), popped.Order());
        Assert.False(await db.KeyExistsAsync("se:set"));
    }

    [Fact]
    public async Task SortedSetsRoundTrip()
    {
        var db = _redis.GetDatabase(1);
        await db.KeyDeleteAsync("se:z");
        Assert.Equal(4, await db.SortedSetAddAsync("se:z", [new("a", 1), new("b", 2.5), new("c", 0.1), new("d", 10)]));
        Assert.Equal(2.5, await db.SortedSetScoreAsync("se:z", "b"));
        Assert.Equal(3.5, await db.SortedSetIncrementAsync("se:z", "b", 1));
        Assert.Equal(1, await db.SortedSetRankAsync("se:z", "a"));
        Assert.Equal(["c", "a", "b", "d"], (await db.SortedSetRangeByRankAsync("se:z")).Select(v => (string?)v));
        var byScore = await db.SortedSetRangeByScoreWithScoresAsync("se:z", 1, 10, Exclude.Stop, Order.Descending);
        Assert.Equal([("b", 3.5), ("a", 1.0)], byScore.Select(e => ((string)e.Element!, e.Score)));
        Assert.Equal(2, await db.SortedSetLengthAsync("se:z", 0, 2));
        var popped = await db.SortedSetPopAsync("se:z", 2, Order.Ascending);
        Assert.Equal([("c", 0.1), ("a", 1.0)], popped.Select(e => ((string)e.Element!, e.Score)));
        Assert.Equal(["b", "d"], db.SortedSetScan("se:z", pageSize: 1).Select(e => (string)e.Element!));
        Assert.True(await db.SortedSetRemoveAsync("se:z", "b"));
        Assert.Equal(1, await db.SortedSetRemoveRangeByScoreAsync("se:z", double.NegativeInfinity, double.PositiveInfinity));
        Assert.False(await db.KeyExistsAsync("se:z"));
    }

    [Fact]
    public async Task LargeHashesScanEveryFieldOnceAcrossPages()
    {
        var db = _redis.GetDatabase(1);
        var entries = Enumerable.Range(0, 1000).Select(i => new HashEntry($"field{i}", i)).ToArray();
        await db.HashSetAsync("se:big", entries);
        var seen = db.HashScan("se:big", pageSize: 50).Select(e => (string)e.Name!).ToList();
        Assert.Equal(1000, seen.Count);
        Assert.Equal(1000, seen.Distinct().Count());
    }

    [Fact]
    public async Task HscanPagesFollowCountAndKeepEveryStableFieldWhileTheHashGrowsAndShrinks()
    {
        var db = _redis.GetDatabase(1);
        await db.KeyDeleteAsync("se:growing");
        await db.HashSetAsync("se:growing", Enumerable.Range(0, 3000).Select(i => new HashEntry($"stable{i}", i)).ToArray());
        using var raw = new RawClient(fixture.Port);
        raw.Call("SELECT", "1");
        var seen = new HashSet<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            // Between pages the hash grows by 200 fields (past the size its scan order was built
            // for, so it is rebuilt larger) and loses the previous page's additions.
            await db.HashSetAsync("se:growing", Enumerable.Range(0, 200).Select(i => new HashEntry($"churn{calls}:{i}", i)).ToArray());
            await db.HashDeleteAsync("se:growing", Enumerable.Range(0, 200).Select(i => (RedisValue)$"churn{calls - 1}:{i}").ToArray());
            var lines = raw.Call("HSCAN", "se:growing", cursor, "COUNT", "100").Split("\r\n");
            cursor = lines[2];
            var fields = lines.Skip(4).Where((_, i) => i % 4 == 1).Where(l => l.Length > 0).ToList();
            Assert.True(fields.Count <= 101, $"a page of {fields.Count} fields for COUNT 100");
            seen.UnionWith(fields);
            calls++;
        }
        while (cursor != "0");

        Assert.All(Enumerable.Range(0, 3000), i => Assert.Contains($"stable{i}", seen));
        Assert.True(calls >= 30, $"{calls} calls for 3,000 fields at COUNT 100");
    }

    [Fact]
    public async Task ExpiryAndTtl()
    {
        var db = _redis.GetDatabase(1);
        await db.StringSetAsync("se:e", "v", TimeSpan.FromSeconds(100));
        var ttl = await db.KeyTimeToLiveAsync("se:e");
        Assert.InRange(ttl!.Value.TotalSeconds, 98, 100);
        Assert.True(await db.KeyPersistAsync("se:e"));
        Assert.Null(await db.KeyTimeToLiveAsync("se:e"));
        await db.StringSetAsync("se:short", "v", TimeSpan.FromMilliseconds(100));
        await Task.Delay(300);
        Assert.False(await db.KeyExistsAsync("se:short"));
    }

    [Fact]
    public async Task ExpiredKeysLeaveTheNodeIndexWithoutBeingTouched()
    {
        var db = _redis.GetDatabase(1);
        await db.StringSetAsync("se:active-expiry", "v", TimeSpan.FromMilliseconds(200));
        Assert.True(IndexHolds(1, "se:active-expiry"));

        // No command touches the key from here on: only active expiry can remove it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (IndexHolds(1, "se:active-expiry") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(IndexHolds(1, "se:active-expiry"));
    }

    [Fact]
    public async Task ObjectIdleTimeCountsFromTheLastTouchAndObjectDoesNotTouch()
    {
        var db = _redis.GetDatabase(1);
        await db.StringSetAsync("se:idle", "v");
        await Task.Delay(2100);
        var idle = await db.KeyIdleTimeAsync("se:idle");
        Assert.InRange(idle!.Value.TotalSeconds, 2, 10);
        Assert.InRange((await db.KeyIdleTimeAsync("se:idle"))!.Value.TotalSeconds, 2, 10);
        await db.StringGetAsync("se:idle");
        Assert.InRange((await db.KeyIdleTimeAsync("se:idle"))!.Value.TotalSeconds, 0, 1);
        Assert.True((long)await db.ExecuteAsync("MEMORY", "USAGE", "se:idle") > 0);
    }

    [Fact]
    public async Task DatabasesAreSeparateKeyspaces()
    {
        await _redis.GetDatabase(3).StringSetAsync("se:db", "three");
        await _redis.GetDatabase(4).StringSetAsync("se:db", "four");
        Assert.Equal("three", await _redis.GetDatabase(3).StringGetAsync("se:db"));
        Assert.Equal("four", await _redis.GetDatabase(4).StringGetAsync("se:db"));
        Assert.True(await _redis.GetDatabase(3).KeyMoveAsync("se:db2", 5) == false);
    }

    [Fact]
    public async Task KeysSpreadOverEverySiloAndEveryCommandSeesThemAll()
    {
        var db = _redis.GetDatabase(2);
        await _redis.GetServer(_redis.GetEndPoints()[0]).FlushDatabaseAsync(2);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => db.StringSetAsync($"spread:{i}", i)));
        var perSilo = Indexes().Select(index => index.LiveKeys(2, 0).Count()).ToList();
        Assert.Equal(ClusterFixture.Silos, perSilo.Count);
        Assert.All(perSilo, count => Assert.InRange(count, 30, 110));
        Assert.Equal(200, perSilo.Sum());

        // Every key lives on the silo that owns its slot, chosen by the silos' names.
        var silos = fixture.Cluster.Silos.Cast<InProcessSiloHandle>().ToList();
        var names = silos.Select(s => s.Name).ToList();
        foreach (var silo in silos)
        {
            var index = silo.SiloHost.Services.GetRequiredService<NodeKeyIndex>();
            Assert.All(index.LiveKeys(2, 0), pair => Assert.Equal(silo.Name, SlotOwnership.OwnerOfKey(pair.Key, names, n => n)));
        }

        // INFO nodes: each node's slots (all 16384 between them) and keys.
        using (var raw = new RawClient(fixture.Port))
        {
            var lines = raw.Call("INFO", "nodes").Split("\r\n").Where(l => l.StartsWith("node") && char.IsDigit(l[4])).ToList();
            Assert.Equal(ClusterFixture.Silos, lines.Count);
            Assert.Equal(HashSlot.Count, lines.Sum(l => int.Parse(l.Split("slots=")[1].Split(',')[0])));
            Assert.All(names, name => Assert.Contains(lines, l => l.Contains($"name={name},")));
        }

        var server = _redis.GetServer(_redis.GetEndPoints()[0]);
        Assert.Equal(200, await server.DatabaseSizeAsync(2));
        Assert.Equal(200, server.Keys(2, "spread:*", pageSize: 17).Distinct().Count());
        Assert.Equal(200, (await server.KeysAsync(2, "spread:*", pageSize: 1000).ToListAsync()).Count);
        Assert.StartsWith("spread:", (string?)await db.KeyRandomAsync());
        await server.FlushDatabaseAsync(2);
        Assert.Equal(0, await server.DatabaseSizeAsync(2));
        Assert.False(await db.KeyExistsAsync("spread:7"));
    }

    [Fact]
    public async Task ScanWalksEveryKeyExactlyOnceWithTypeAndMatch()
    {
        var db = _redis.GetDatabase(6);
        var server = _redis.GetServer(_redis.GetEndPoints()[0]);
        await server.FlushDatabaseAsync(6);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? db.HashSetAsync($"scan:{i}", "f", "v") : db.StringSetAsync($"scan:{i}", "v")));
        var cursor = "0";
        var seen = new List<string>();
        using var raw = new RawClient(fixture.Port);
        raw.Call("SELECT", "6");
        do
        {
            var page = raw.Call("SCAN", cursor, "COUNT", "25", "TYPE", "hash");
            var lines = page.Split("\r\n");
            cursor = lines[2];
            seen.AddRange(lines.Skip(4).Where((_, i) => i % 2 == 1).Where(l => l.Length > 0));
        }
        while (cursor != "0");
        Assert.Equal(100, seen.Count);
        Assert.Equal(100, seen.Distinct().Count());
    }

    [Fact]
    public async Task ScanPagesFollowCountAndKeepEveryKeyPresentThroughWhileOthersComeAndGo()
    {
        var db = _redis.GetDatabase(7);
        var server = _redis.GetServer(_redis.GetEndPoints()[0]);
        await server.FlushDatabaseAsync(7);
        await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => db.StringSetAsync($"stable:{i}", "v")));
        const int nodes = ClusterFixture.Silos;
        using var raw = new RawClient(fixture.Port);
        raw.Call("SELECT", "7");
        var seen = new HashSet<string>();
        var cursor = "0";
        int calls = 0;
        do
        {
            // Keys come and go between pages; the stable ones must all be seen.
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => db.StringSetAsync($"churn:{calls}:{i}", "v")));
            await db.KeyDeleteAsync(Enumerable.Range(0, 20).Select(i => (RedisKey)$"churn:{calls - 1}:{i}").ToArray());
            var lines = raw.Call("SCAN", cursor, "COUNT", "10").Split("\r\n");
            cursor = lines[2];
            var page = lines.Skip(4).Where((_, i) => i % 2 == 1).Where(l => l.Length > 0).ToList();
            Assert.True(page.Count <= 10 * nodes, $"a page of {page.Count} keys for COUNT 10 on {nodes} nodes");
            seen.UnionWith(page);
            calls++;
        }
        while (cursor != "0");

        Assert.All(Enumerable.Range(0, 3000), i => Assert.Contains($"stable:{i}", seen));
        Assert.True(calls >= 3000 / (10 * nodes), $"{calls} calls for 3,000 keys at COUNT 10");
    }

    [Fact]
    public async Task PubSubMessagesReachSubscribersOnAnotherGateway()
    {
        var other = await fixture.StartServer();
        await using var subscriberConnection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{other.Port}");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var patternReceived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = subscriberConnection.GetSubscriber();
        await subscriber.SubscribeAsync(RedisChannel.Literal("news"), (_, message) => received.TrySetResult(message!));
        await subscriber.SubscribeAsync(RedisChannel.Pattern("new*"), (_, message) => patternReceived.TrySetResult(message!));

        long receivers = await _redis.GetSubscriber().PublishAsync(RedisChannel.Literal("news"), "hello");
        Assert.Equal(2, receivers);
        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("hello", await patternReceived.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await _redis.GetServer(_redis.GetEndPoints()[0]).SubscriptionSubscriberCountAsync(RedisChannel.Literal("news")));
    }

    private bool IndexHolds(int db, string key) =>
        Indexes().Any(index => index.LiveKeys(db, long.MinValue).Any(p => p.Key.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(key))));

    private IEnumerable<NodeKeyIndex> Indexes() =>
        fixture.Cluster.Silos.Cast<InProcessSiloHandle>().Select(silo => silo.SiloHost.Services.GetRequiredService<NodeKeyIndex>());
}
