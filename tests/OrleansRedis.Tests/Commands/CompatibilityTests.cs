using System.Buffers;
using System.Text;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Protocol;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Commands;

/// <summary>
/// Runs the same commands against OrleansRedis and a real redis-server and compares every
/// reply byte for byte, in RESP2 and RESP3. Each script runs in a freshly flushed database.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CompatibilityTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string Far = "4102444800000"; // 2100-01-01, an expiry that stays in the future

    public static TheoryData<string, string[][]> Scripts => new()
    {
        { "set and get", [["SET", "k", "v"], ["GET", "k"], ["GET", "missing"], ["SET", "k", ""], ["GET", "k"], ["STRLEN", "k"]] },
        { "set options", [
            ["SET", "k", "1", "NX"], ["SET", "k", "2", "NX"], ["GET", "k"], ["SET", "k", "3", "XX"], ["SET", "n", "3", "XX"], ["EXISTS", "n"],
            ["SET", "k", "4", "GET"], ["SET", "k", "5", "NX", "GET"], ["SET", "n", "6", "XX", "GET"], ["SET", "k", "7", "PXAT", Far], ["PEXPIRETIME", "k"],
            ["SET", "k", "8", "KEEPTTL"], ["PEXPIRETIME", "k"], ["SET", "k", "9"], ["PEXPIRETIME", "k"], ["SET", "k", "v", "EX", "100"], ["TTL", "k"]] },
        { "set errors", [
            ["SET", "k", "v", "NX", "XX"], ["SET", "k", "v", "EX"], ["SET", "k", "v", "EX", "0"], ["SET", "k", "v", "EX", "-1"], ["SET", "k", "v", "EX", "abc"],
            ["SET", "k", "v", "PX", "9223372036854775807"], ["SET", "k", "v", "EX", "9223372036854775807"], ["SET", "k", "v", "EX", "10", "PX", "10"],
            ["SET", "k", "v", "KEEPTTL", "EX", "10"], ["SET", "k", "v", "BOGUS"], ["SET", "k"], ["SET", "k", "v", "EX", "1.5"]] },
        { "set expired", [["SET", "k", "v", "PXAT", "1"], ["GET", "k"], ["EXISTS", "k"], ["SET", "k", "v", "EXAT", "1", "GET"]] },
        { "getset getdel getex", [
            ["GETSET", "k", "1"], ["GETSET", "k", "2"], ["GETDEL", "k"], ["GETDEL", "k"], ["SET", "k", "v"], ["GETEX", "k", "PXAT", Far], ["PEXPIRETIME", "k"],
            ["GETEX", "k", "PERSIST"], ["TTL", "k"], ["GETEX", "missing", "EX", "10"], ["GETEX", "k", "EX", "0"], ["GETEX", "k", "PERSIST", "EX", "10"], ["GETEX", "k", "FOO"]] },
        { "setnx setex psetex", [
            ["SETNX", "k", "1"], ["SETNX", "k", "2"], ["GET", "k"], ["SETEX", "k", "100", "v"], ["TTL", "k"], ["SETEX", "k", "0", "v"], ["SETEX", "k", "-5", "v"],
            ["SETEX", "k", "x", "v"], ["PSETEX", "k", "0", "v"], ["PSETEX", "k", "100000", "w"], ["GET", "k"]] },
        { "mset mget msetnx", [
            ["MSET", "a", "1", "b", "2"], ["MGET", "a", "b", "c"], ["MSET", "a"], ["MSET", "a", "1", "b"], ["MSETNX", "a", "9", "x", "9"], ["MGET", "a", "x"],
            ["MSETNX", "x", "1", "y", "2"], ["MGET", "x", "y"], ["HSET", "h", "f", "v"], ["MGET", "a", "h"], ["MSET", "d", "1", "d", "2"], ["GET", "d"]] },
        { "append strlen getrange setrange", [
            ["APPEND", "k", "Hello"], ["APPEND", "k", " World"], ["GET", "k"], ["STRLEN", "k"], ["STRLEN", "missing"],
            ["GETRANGE", "k", "0", "4"], ["GETRANGE", "k", "-5", "-1"], ["GETRANGE", "k", "-1", "-5"], ["GETRANGE", "k", "5", "2"], ["GETRANGE", "k", "0", "100"],
            ["GETRANGE", "k", "-100", "2"], ["GETRANGE", "missing", "0", "-1"], ["GETRANGE", "k", "a", "1"],
            ["SETRANGE", "k", "6", "Redis"], ["GET", "k"], ["SETRANGE", "n", "5", "x"], ["GET", "n"], ["SETRANGE", "e", "3", ""], ["EXISTS", "e"],
            ["SETRANGE", "k", "-1", "x"], ["SETRANGE", "k", "536870912", "x"], ["SETRANGE", "k", "0", ""]] },
        { "incr family", [
            ["INCR", "n"], ["INCRBY", "n", "10"], ["DECR", "n"], ["DECRBY", "n", "5"], ["GET", "n"], ["INCRBY", "n", "abc"], ["SET", "s", "abc"], ["INCR", "s"],
            ["SET", "m", "9223372036854775807"], ["INCR", "m"], ["SET", "m", "-9223372036854775808"], ["DECR", "m"], ["DECRBY", "n", "-9223372036854775808"],
            ["SET", "z", "007"], ["INCR", "z"], ["SET", "z", " 1"], ["INCR", "z"], ["SET", "z", "+1"], ["INCR", "z"], ["SET", "t", "5"], ["PEXPIREAT", "t", Far], ["INCR", "t"], ["PEXPIRETIME", "t"]] },
        { "incrbyfloat", [
            ["SET", "f", "10.50"], ["INCRBYFLOAT", "f", "0.1"], ["INCRBYFLOAT", "f", "-5"], ["SET", "f", "5.0e3"], ["INCRBYFLOAT", "f", "2.0e2"],
            ["INCRBYFLOAT", "new", "0.1"], ["INCRBYFLOAT", "new", "0.2"], ["INCRBYFLOAT", "f", "abc"], ["INCRBYFLOAT", "f", "inf"], ["SET", "s", "x"], ["INCRBYFLOAT", "s", "1"],
            ["INCRBYFLOAT", "i", "3"], ["INCRBYFLOAT", "i", "-3"]] },
        { "numbers with a NUL byte are not numbers", [
            ["SET", "nul", "10\0"], ["INCRBYFLOAT", "nul", "1"], ["INCR", "nul"], ["SET", "f", "1"], ["INCRBYFLOAT", "f", "1\0"], ["INCRBYFLOAT", "f", "\01"],
            ["HSET", "h", "f", "2.5\0"], ["HINCRBYFLOAT", "h", "f", "1"], ["ZADD", "z", "1\0", "m"], ["ZADD", "z", "1", "m"], ["ZCOUNT", "z", "0", "1\0"], ["ZCOUNT", "z", "0", "1\0x"], ["ZCOUNT", "z", "\01", "2"],
            ["ZRANGEBYSCORE", "z", "(0\0", "+inf"], ["BLPOP", "missing", "0.01\0"]] },
        { "wrong type", [
            ["HSET", "h", "f", "v"], ["GET", "h"], ["SET", "h", "x", "GET"], ["APPEND", "h", "x"], ["INCR", "h"], ["STRLEN", "h"], ["GETRANGE", "h", "0", "1"],
            ["SET", "s", "v"], ["HGET", "s", "f"], ["HSET", "s", "f", "v"], ["HGETALL", "s"], ["HLEN", "s"], ["HINCRBY", "s", "f", "1"], ["HSCAN", "s", "0"], ["GETSET", "h", "v"]] },
        { "hashes", [
            ["HSET", "h", "a", "1", "b", "2"], ["HSET", "h", "a", "3", "c", "4"], ["HGET", "h", "a"], ["HGET", "h", "zz"], ["HMGET", "h", "a", "zz", "c"], ["HGETALL", "h"],
            ["HLEN", "h"], ["HKEYS", "h"], ["HVALS", "h"], ["HEXISTS", "h", "a"], ["HEXISTS", "h", "zz"], ["HSTRLEN", "h", "c"], ["HSETNX", "h", "a", "9"], ["HSETNX", "h", "d", "9"],
            ["HDEL", "h", "a", "zz"], ["HMSET", "h", "x", "1"], ["HMSET", "h", "x"], ["HSET", "h", "x"], ["HSET", "h"], ["HGETALL", "missing"], ["HMGET", "missing", "a"],
            ["HDEL", "h", "b", "c", "d", "x"], ["EXISTS", "h"], ["TYPE", "h"]] },
        { "hash increments", [
            ["HINCRBY", "h", "n", "5"], ["HINCRBY", "h", "n", "-10"], ["HINCRBY", "h", "n", "x"], ["HSET", "h", "s", "abc"], ["HINCRBY", "h", "s", "1"],
            ["HSET", "h", "m", "9223372036854775807"], ["HINCRBY", "h", "m", "1"], ["HINCRBYFLOAT", "h", "f", "1.5"], ["HINCRBYFLOAT", "h", "f", "0.1"],
            ["HINCRBYFLOAT", "h", "s", "1"], ["HINCRBYFLOAT", "h", "f", "x"], ["HGET", "h", "f"]] },
        { "hostile numbers", [
            ["SETRANGE", "k", "9223372036854775807", "x"], ["SETRANGE", "k", "9223372036854775806", "xy"], ["SETRANGE", "k", "536870911", "xy"], ["EXISTS", "k"],
            ["HINCRBYFLOAT", "h", "f", "inf"], ["HINCRBYFLOAT", "h", "f", "-inf"], ["HINCRBYFLOAT", "h", "f", "nan"], ["SET", "s", "v"], ["HINCRBYFLOAT", "s", "f", "inf"], ["INCRBYFLOAT", "s", "inf"],
            ["SET", "n", "1"], ["INCRBYFLOAT", "n", "inf"], ["INCRBYFLOAT", "n", "nan"]] },
        { "hostile glob", [
            ["SET", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "v"],
            ["KEYS", "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"],
            ["KEYS", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*"], ["DBSIZE"],
            ["SCAN", "0", "MATCH", "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"],
            ["CONFIG", "GET", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"]] },
        { "help of every container", [["CONFIG", "HELP"], ["CLIENT", "HELP"], ["COMMAND", "HELP"], ["OBJECT", "HELP"], ["MEMORY", "HELP"], ["PUBSUB", "HELP"], ["ACL", "HELP"],
            ["CLUSTER", "HELP"], ["CONFIG", "NOPE"], ["OBJECT", "NOPE"], ["CONFIG", "HELP", "extra"]] },
        { "notify-keyspace-events", [
            ["CONFIG", "SET", "notify-keyspace-events", "KEA"], ["CONFIG", "GET", "notify-keyspace-events"], ["CONFIG", "SET", "notify-keyspace-events", "AKE"],
            ["CONFIG", "GET", "notify-keyspace-events"], ["CONFIG", "SET", "notify-keyspace-events", "xgK"], ["CONFIG", "GET", "notify-keyspace-events"],
            ["CONFIG", "SET", "notify-keyspace-events", "$lshzxeKEtmdn"], ["CONFIG", "GET", "notify-keyspace-events"], ["CONFIG", "SET", "notify-keyspace-events", "An"],
            ["CONFIG", "GET", "notify-keyspace-events"], ["CONFIG", "SET", "notify-keyspace-events", "KEQ"], ["CONFIG", "GET", "notify-keyspace-events"],
            ["CONFIG", "SET", "notify-keyspace-events", "Em"], ["CONFIG", "GET", "notify-keyspace-events"], ["CONFIG", "SET", "notify-keyspace-events", ""],
            ["CONFIG", "GET", "notify-keyspace-events"]] },
        { "shutdown refusals", [["SHUTDOWN", "ABORT"], ["SHUTDOWN", "FOO"], ["SHUTDOWN", "SAVE", "NOSAVE"], ["SHUTDOWN", "ABORT", "NOW"], ["SHUTDOWN", "NOSAVE", "ABORT"], ["PING"]] },
        { "hrandfield edges", [
            ["HRANDFIELD", "missing"], ["HRANDFIELD", "missing", "3"], ["HSET", "h", "a", "1"], ["HRANDFIELD", "h"], ["HRANDFIELD", "h", "0"], ["HRANDFIELD", "h", "5"],
            ["HRANDFIELD", "h", "-2"], ["HRANDFIELD", "h", "1", "WITHVALUES"], ["HRANDFIELD", "h", "1", "BOGUS"], ["HRANDFIELD", "h", "x"],
            ["HRANDFIELD", "h", "-9223372036854775808"], ["HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"]] },
        { "hscan small", [["HSET", "h", "a", "1", "b", "2"], ["HSCAN", "h", "0"], ["HSCAN", "h", "0", "MATCH", "a*"], ["HSCAN", "h", "0", "COUNT", "0"], ["HSCAN", "h", "x"], ["HSCAN", "missing", "0"], ["HSCAN", "h", "0", "FOO", "1"]] },
        { "keys and expiry", [
            ["SET", "k", "v"], ["EXISTS", "k", "k", "missing"], ["TYPE", "k"], ["TYPE", "missing"], ["TTL", "k"], ["PTTL", "missing"], ["EXPIRETIME", "k"],
            ["PEXPIREAT", "k", Far], ["PEXPIRETIME", "k"], ["EXPIRETIME", "k"], ["PERSIST", "k"], ["PERSIST", "k"], ["EXPIRE", "missing", "10"],
            ["EXPIRE", "k", "100", "XX"], ["EXPIRE", "k", "100", "NX"], ["EXPIRE", "k", "50", "GT"], ["EXPIRE", "k", "50", "LT"], ["EXPIRE", "k", "10", "NX", "XX"],
            ["EXPIRE", "k", "10", "GT", "LT"], ["EXPIRE", "k", "10", "FOO"], ["EXPIRE", "k", "x"], ["EXPIRE", "k", "9223372036854775807"], ["PEXPIRE", "k", "9223372036854775807"],
            ["TOUCH", "k", "missing"], ["EXPIRE", "k", "0"], ["EXISTS", "k"], ["SET", "k", "v"], ["EXPIREAT", "k", "1"], ["EXISTS", "k"]] },
        { "del unlink", [["MSET", "a", "1", "b", "2", "c", "3"], ["DEL", "a", "b", "missing", "a"], ["UNLINK", "c"], ["DEL", "c"], ["EXISTS", "a", "b", "c"]] },
        { "rename", [
            ["SET", "a", "1"], ["PEXPIREAT", "a", Far], ["RENAME", "a", "b"], ["GET", "b"], ["PEXPIRETIME", "b"], ["EXISTS", "a"], ["RENAME", "a", "b"], ["RENAME", "b", "b"],
            ["RENAME", "missing", "missing"], ["SET", "c", "3"], ["RENAMENX", "b", "c"], ["RENAMENX", "b", "d"], ["RENAMENX", "d", "d"], ["GET", "d"], ["HSET", "h", "f", "v"],
            ["RENAME", "h", "d"], ["TYPE", "d"], ["HGET", "d", "f"]] },
        { "select and move", [
            ["SET", "k", "db9"], ["MOVE", "k", "10"], ["EXISTS", "k"], ["SELECT", "10"], ["GET", "k"], ["MOVE", "k", "10"], ["MOVE", "k", "99"], ["MOVE", "k", "x"],
            ["SET", "j", "x"], ["SELECT", "9"], ["SET", "j", "y"], ["MOVE", "j", "10"], ["SELECT", "10"], ["GET", "j"], ["FLUSHDB"], ["SELECT", "9"], ["SELECT", "16"], ["SELECT", "-1"], ["SELECT", "abc"]] },
        { "unknown commands and arity", [
            ["FOO"], ["FOO", "bar", "baz"], ["GET"], ["GET", "a", "b"], ["HSET", "h", "f"], ["CLIENT"], ["CLIENT", "FOO"], ["CONFIG", "NOPE"], ["PING", "a", "b"],
            ["foo", new string('x', 200)], ["ECHO"], ["get", "k"], ["GeT", "k"]] },
        { "connection", [["PING"], ["PING", "hello"], ["ACL", "WHOAMI"], ["ACL", "WHOAMI", "extra"], ["ECHO", "hi"], ["ECHO", ""], ["HELLO", "4"], ["HELLO", "x"], ["HELLO", "2", "FOO"], ["AUTH", "pw"], ["AUTH", "default", "pw"],
            ["CLIENT", "SETNAME", "bad name"], ["CLIENT", "SETNAME", "good"], ["CLIENT", "GETNAME"], ["CLIENT", "SETNAME", ""], ["CLIENT", "GETNAME"]] },
        { "config", [["CONFIG", "GET", "maxmemory"], ["CONFIG", "GET", "maxmemory-*"], ["CONFIG", "GET", "nosuchparam"], ["CONFIG", "SET", "nosuch", "1"],
            ["CONFIG", "SET", "maxmemory", "abc"], ["CONFIG", "SET", "appendfsync"], ["CONFIG", "GET", "databases"], ["CONFIG", "SET", "databases", "4"], ["CONFIG", "GET", "hash-max-*"]] },
        { "memory and buffer limits in CONFIG", [
            ["CONFIG", "SET", "maxmemory", "1gb"], ["CONFIG", "GET", "maxmemory"], ["CONFIG", "SET", "maxmemory", "100mb"], ["CONFIG", "GET", "maxmemory"],
            ["CONFIG", "SET", "maxmemory", "-1"], ["CONFIG", "SET", "maxmemory", "12x"], ["CONFIG", "SET", "maxmemory", "0"],
            ["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"], ["CONFIG", "GET", "maxmemory-policy"], ["CONFIG", "SET", "maxmemory-policy", "lru"],
            ["CONFIG", "SET", "maxmemory-policy", ""], ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
            ["CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2mb 60"], ["CONFIG", "GET", "client-output-buffer-limit"],
            ["CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2mb"], ["CONFIG", "SET", "client-output-buffer-limit", "nobody 1 1 1"],
            ["CONFIG", "SET", "client-output-buffer-limit", "normal x 0 0"], ["CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0"],
            ["CONFIG", "GET", "client-output-buffer-limit"], ["SET", "k", "v"], ["OBJECT", "FREQ", "k"], ["MEMORY", "PURGE"], ["MEMORY", "PURGE", "x"]] },
        { "command introspection", [["COMMAND", "INFO", "get", "set", "nosuch"], ["COMMAND", "DOCS", "get"], ["COMMAND", "DOCS", "set"], ["COMMAND", "DOCS", "hset", "nosuch"],
            ["COMMAND", "INFO", "config|get"], ["COMMAND", "DOCS", "client|list"], ["COMMAND", "INFO", "expire"], ["COMMAND", "LIST", "FILTERBY", "PATTERN", "hinc*"]] },
        { "flush", [["SET", "a", "1"], ["FLUSHDB", "BOGUS"], ["FLUSHDB", "ASYNC", "x"], ["DBSIZE"], ["FLUSHDB", "SYNC"], ["DBSIZE"], ["RANDOMKEY"], ["KEYS", "*"], ["SET", "only", "1"], ["RANDOMKEY"], ["KEYS", "o*"]] },
        { "pubsub counts", [["PUBSUB", "NUMPAT"], ["PUBSUB", "NUMSUB", "nobody"], ["PUBSUB", "CHANNELS", "nobody*"], ["PUBLISH", "nobody", "hi"], ["PUBSUB", "FOO"]] },
        { "object", [["SET", "a", "123"], ["OBJECT", "ENCODING", "a"], ["SET", "b", "hello"], ["OBJECT", "ENCODING", "b"],
            ["SET", "c", new string('a', 45)], ["OBJECT", "ENCODING", "c"], ["SET", "n", "12345678901234567890"], ["OBJECT", "ENCODING", "n"], ["SET", "z", "-5"],
            ["OBJECT", "ENCODING", "z"], ["SET", "e", "01"], ["OBJECT", "ENCODING", "e"], ["HSET", "h", "f", "v"], ["OBJECT", "ENCODING", "h"],
            ["HSET", "big", "f", new string('v', 65)], ["OBJECT", "ENCODING", "big"], ["OBJECT", "ENCODING", "missing"], ["OBJECT", "IDLETIME", "missing"],
            ["OBJECT", "FREQ", "a"], ["OBJECT", "FREQ", "missing"], ["OBJECT", "ENCODING"], ["OBJECT", "NOPE", "a"], ["MEMORY", "USAGE", "missing"],
            ["MEMORY", "USAGE", "a", "BOGUS"]] },
        { "list pushes and pops", [
            ["LPUSH", "l", "a", "b", "c"], ["RPUSH", "l", "d", "e"], ["LRANGE", "l", "0", "-1"], ["LLEN", "l"], ["LPOP", "l"], ["RPOP", "l"],
            ["LPOP", "l", "2"], ["RPOP", "l", "0"], ["RPOP", "l", "5"], ["EXISTS", "l"], ["LPOP", "l"], ["LPOP", "l", "1"], ["RPOP", "missing", "2"],
            ["LPOP", "l", "-1"], ["LPOP", "l", "x"], ["LPOP", "l", "1", "2"], ["LPUSHX", "l", "x"], ["RPUSHX", "l", "x"], ["RPUSH", "l", "1"],
            ["LPUSHX", "l", "0"], ["RPUSHX", "l", "2", "3"], ["LRANGE", "l", "0", "-1"], ["LPUSH", "l"], ["TYPE", "l"], ["OBJECT", "ENCODING", "l"],
            ["RPUSH", "r", "1", "2", "3", "4"], ["RPOP", "r", "3"], ["LRANGE", "r", "0", "-1"]] },
        { "list reads", [
            ["RPUSH", "l", "a", "b", "c", "b", "a"], ["LINDEX", "l", "0"], ["LINDEX", "l", "-1"], ["LINDEX", "l", "5"], ["LINDEX", "l", "-6"], ["LINDEX", "l", "x"],
            ["LINDEX", "missing", "x"], ["LRANGE", "l", "1", "3"], ["LRANGE", "l", "-2", "-1"], ["LRANGE", "l", "-100", "100"], ["LRANGE", "l", "3", "1"],
            ["LRANGE", "l", "5", "10"], ["LRANGE", "l", "x", "1"], ["LRANGE", "missing", "0", "-1"], ["LLEN", "missing"],
            ["LPOS", "l", "b"], ["LPOS", "l", "b", "RANK", "2"], ["LPOS", "l", "b", "RANK", "-1"], ["LPOS", "l", "b", "RANK", "3"], ["LPOS", "l", "b", "COUNT", "0"],
            ["LPOS", "l", "a", "COUNT", "1"], ["LPOS", "l", "a", "COUNT", "0", "RANK", "-1"], ["LPOS", "l", "a", "MAXLEN", "3", "COUNT", "0"], ["LPOS", "l", "z"],
            ["LPOS", "l", "z", "COUNT", "2"], ["LPOS", "missing", "a"], ["LPOS", "missing", "a", "COUNT", "0"], ["LPOS", "l", "a", "RANK", "0"],
            ["LPOS", "l", "a", "COUNT", "-1"], ["LPOS", "l", "a", "MAXLEN", "-1"], ["LPOS", "l", "a", "RANK"], ["LPOS", "l", "a", "BOGUS", "1"],
            ["LPOS", "l", "a", "RANK", "-9223372036854775808"], ["LPOS", "l", "a", "RANK", "x"], ["LPOS", "l", "a", "COUNT", "x"], ["LPOS", "l", "a", "MAXLEN", "x"]] },
        { "list edits", [
            ["RPUSH", "l", "a", "b", "c", "b", "a", "b"], ["LINSERT", "l", "BEFORE", "b", "x"], ["LINSERT", "l", "after", "b", "y"], ["LINSERT", "l", "BEFORE", "zz", "q"],
            ["LINSERT", "l", "MIDDLE", "b", "q"], ["LINSERT", "missing", "BEFORE", "a", "q"], ["LRANGE", "l", "0", "-1"], ["LSET", "l", "0", "first"], ["LSET", "l", "-1", "last"],
            ["LSET", "l", "100", "v"], ["LSET", "l", "x", "v"], ["LSET", "missing", "0", "v"], ["LREM", "l", "1", "b"], ["LREM", "l", "-1", "b"], ["LRANGE", "l", "0", "-1"],
            ["LREM", "l", "0", "b"], ["LREM", "l", "0", "nothing"], ["LREM", "l", "x", "b"], ["LREM", "missing", "0", "a"], ["LRANGE", "l", "0", "-1"],
            ["LTRIM", "l", "1", "-2"], ["LRANGE", "l", "0", "-1"], ["LTRIM", "l", "0", "100"], ["LTRIM", "l", "x", "1"], ["LTRIM", "missing", "0", "1"],
            ["LTRIM", "l", "5", "1"], ["EXISTS", "l"], ["RPUSH", "m", "only"], ["LREM", "m", "0", "only"], ["EXISTS", "m"]] },
        { "a list over several 8 KB chunks", [
            ["RPUSH", "big", .. Enumerable.Range(0, 1500).Select(i => $"element-{i % 7}-{i:D12}")], ["LPUSH", "big", new string('h', 9000), "small"],
            ["LINDEX", "big", "0"], ["LINDEX", "big", "1"], ["LINDEX", "big", "400"], ["LINDEX", "big", "-401"], ["LINDEX", "big", "-1"], ["LRANGE", "big", "395", "420"],
            ["LSET", "big", "700", new string('s', 8500)], ["LSET", "big", "701", "short"], ["LINSERT", "big", "BEFORE", "element-3-000000000900", "inserted"],
            ["LRANGE", "big", "695", "710"], ["LPOS", "big", "element-5-000000000012"], ["LPOS", "big", "element-5-000000000012", "RANK", "-1"],
            ["LREM", "big", "3", "short"], ["LRANGE", "big", "690", "720"], ["LTRIM", "big", "2", "-3"], ["LLEN", "big"], ["LRANGE", "big", "0", "3"], ["LRANGE", "big", "-3", "-1"],
            ["LREM", "big", "-9223372036854775808", "element-3-000000000003"], ["LPOP", "big", "600"], ["RPOP", "big", "300"], ["LRANGE", "big", "0", "-1"]] },
        { "list rename move and expiry", [
            ["RPUSH", "l", "a", "b"], ["RENAME", "l", "m"], ["LRANGE", "m", "0", "-1"], ["EXISTS", "l"], ["RPUSH", "n", "x"], ["RENAMENX", "m", "n"], ["RENAME", "m", "n"],
            ["LRANGE", "n", "0", "-1"], ["MOVE", "n", "10"], ["EXISTS", "n"], ["SELECT", "10"], ["LRANGE", "n", "0", "-1"], ["PEXPIREAT", "n", Far], ["PEXPIRETIME", "n"],
            ["LPUSH", "n", "c"], ["PEXPIRETIME", "n"], ["LPOP", "n", "3"], ["EXISTS", "n"], ["SELECT", "9"]] },
        { "list wrong type", [
            ["SET", "s", "v"], ["LPUSH", "s", "a"], ["RPUSH", "s", "a"], ["LPUSHX", "s", "a"], ["LPOP", "s"], ["RPOP", "s", "2"], ["LLEN", "s"], ["LINDEX", "s", "0"],
            ["LINDEX", "s", "x"], ["LRANGE", "s", "0", "-1"], ["LRANGE", "s", "x", "0"], ["LINSERT", "s", "BEFORE", "a", "b"], ["LREM", "s", "0", "a"], ["LSET", "s", "0", "a"],
            ["LTRIM", "s", "0", "1"], ["LPOS", "s", "a"], ["RPUSH", "l", "a"], ["GET", "l"], ["HGET", "l", "f"], ["HSET", "l", "f", "v"], ["INCR", "l"], ["APPEND", "l", "x"],
            ["SET", "l", "now a string"], ["GET", "l"], ["TYPE", "l"]] },
        { "sets of integers", [
            ["SADD", "s", "3", "1", "2", "-5", "1"], ["SMEMBERS", "s"], ["SCARD", "s"], ["SISMEMBER", "s", "2"], ["SISMEMBER", "s", "9"], ["SMISMEMBER", "s", "1", "9", "3"],
            ["OBJECT", "ENCODING", "s"], ["SREM", "s", "2", "9"], ["SMEMBERS", "s"], ["SADD", "t", "1", "10", "3"], ["SINTER", "s", "t"], ["SUNION", "s", "t"], ["SDIFF", "s", "t"],
            ["SDIFF", "t", "s"], ["SINTERCARD", "2", "s", "t"], ["SINTERSTORE", "d", "s", "t"], ["SMEMBERS", "d"], ["SUNIONSTORE", "d", "s", "t"], ["SMEMBERS", "d"],
            ["SDIFFSTORE", "d", "s", "t"], ["SMEMBERS", "d"], ["SRANDMEMBER", "s", "10"], ["SSCAN", "s", "0"], ["SADD", "s", "007"], ["OBJECT", "ENCODING", "s"],
            ["SREM", "s", "007"], ["OBJECT", "ENCODING", "s"], ["SPOP", "t", "10"], ["EXISTS", "t"], ["TYPE", "s"]] },
        { "sets", [
            ["SADD", "s", "a", "b", "c"], ["SADD", "s", "a", "d"], ["SMEMBERS", "s"], ["OBJECT", "ENCODING", "s"], ["SISMEMBER", "s", "a"], ["SMISMEMBER", "missing", "a", "b"],
            ["SCARD", "missing"], ["SISMEMBER", "missing", "a"], ["SMEMBERS", "missing"], ["SREM", "s", "a", "zz"], ["SREM", "missing", "a"], ["SADD", "t", "c", "d", "e"],
            ["SINTER", "s", "t"], ["SINTER", "s", "missing"], ["SINTER", "missing", "s"], ["SUNION", "s", "t", "missing"], ["SDIFF", "s", "t"], ["SDIFF", "missing", "s"],
            ["SINTERCARD", "2", "s", "t"], ["SINTERCARD", "2", "s", "t", "LIMIT", "1"], ["SINTERCARD", "2", "s", "t", "LIMIT", "0"], ["SINTERCARD", "0", "s"],
            ["SINTERCARD", "x", "s"], ["SINTERCARD", "3", "s", "t"], ["SINTERCARD", "1", "s", "LIMIT", "-1"], ["SINTERCARD", "1", "s", "LIMIT", "x"],
            ["SINTERCARD", "1", "s", "BOGUS"], ["SINTERCARD", "1", "missing"], ["SINTERSTORE", "d", "s", "t"], ["SMEMBERS", "d"], ["SINTERSTORE", "d", "s", "missing"],
            ["EXISTS", "d"], ["SET", "str", "v"], ["SUNIONSTORE", "str", "s", "t"], ["TYPE", "str"], ["SCARD", "str"], ["SDIFFSTORE", "e", "s", "s"], ["EXISTS", "e"],
            ["SSCAN", "s", "0"], ["SSCAN", "s", "0", "MATCH", "c*"], ["SSCAN", "s", "0", "COUNT", "0"], ["SSCAN", "s", "x"], ["SSCAN", "missing", "0"],
            ["SRANDMEMBER", "missing"], ["SRANDMEMBER", "missing", "3"], ["SRANDMEMBER", "s", "0"], ["SRANDMEMBER", "s", "100"], ["SRANDMEMBER", "s", "x"],
            ["SRANDMEMBER", "s", "-9223372036854775808"], ["SRANDMEMBER", "s", "1", "2"], ["SPOP", "missing"], ["SPOP", "missing", "2"], ["SPOP", "s", "0"],
            ["SPOP", "s", "-1"], ["SPOP", "s", "x"], ["SPOP", "s", "1", "2"], ["SPOP", "s", "100"], ["EXISTS", "s"], ["SADD", "one", "x"], ["SPOP", "one"], ["EXISTS", "one"]] },
        { "set wrong type", [
            ["SET", "str", "v"], ["SADD", "str", "a"], ["SREM", "str", "a"], ["SCARD", "str"], ["SISMEMBER", "str", "a"], ["SMISMEMBER", "str", "a"], ["SMEMBERS", "str"],
            ["SRANDMEMBER", "str"], ["SRANDMEMBER", "str", "2"], ["SPOP", "str"], ["SPOP", "str", "2"], ["SSCAN", "str", "0"], ["SADD", "s", "a"], ["SINTER", "s", "str"],
            ["SINTER", "missing", "str"], ["SUNION", "s", "str"], ["SDIFF", "missing", "str"], ["SINTERCARD", "2", "s", "str"], ["SINTERSTORE", "d", "str", "s"],
            ["GET", "s"], ["LPUSH", "s", "x"], ["HSET", "s", "f", "v"], ["TYPE", "s"], ["RENAME", "s", "s2"], ["SMEMBERS", "s2"]] },
        { "sorted set adds and scores", [
            ["ZADD", "z", "1", "a", "2.5", "b", "0.1", "c"], ["ZADD", "z", "1e20", "d", "1e-5", "e", "-inf", "lo", "+inf", "hi"], ["ZSCORE", "z", "c"], ["ZSCORE", "z", "d"],
            ["ZSCORE", "z", "e"], ["ZSCORE", "z", "lo"], ["ZSCORE", "z", "hi"], ["ZSCORE", "z", "nope"], ["ZSCORE", "missing", "a"], ["ZMSCORE", "z", "a", "nope", "b"],
            ["ZMSCORE", "missing", "a"], ["ZCARD", "z"], ["ZCARD", "missing"], ["ZADD", "z", "NX", "5", "a", "5", "f"], ["ZADD", "z", "XX", "5", "a", "5", "g"],
            ["ZADD", "z", "XX", "CH", "6", "a", "2.5", "b"], ["ZADD", "z", "GT", "CH", "1", "a", "7", "b"], ["ZADD", "z", "LT", "CH", "1", "a", "9", "b"],
            ["ZADD", "z", "INCR", "2", "a"], ["ZADD", "z", "NX", "INCR", "2", "a"], ["ZADD", "z", "XX", "INCR", "2", "nope"], ["ZADD", "z", "GT", "INCR", "-1", "a"],
            ["ZADD", "z", "INCR", "1", "a", "2", "b"], ["ZADD", "z", "NX", "XX", "1", "a"], ["ZADD", "z", "GT", "LT", "1", "a"], ["ZADD", "z", "GT", "NX", "1", "a"],
            ["ZADD", "z", "1"], ["ZADD", "z", "x", "a"], ["ZADD", "z", "nan", "a"], ["ZADD", "z", "1", "a", "2"], ["ZADD", "z", "CH"], ["ZINCRBY", "z", "1.5", "a"],
            ["ZINCRBY", "z", "x", "a"], ["ZINCRBY", "z", "1", "new"], ["ZINCRBY", "z", "-inf", "hi"], ["ZADD", "z", "INCR", "+inf", "lo"], ["ZINCRBY", "missing2", "3", "m"],
            ["ZADD", "z", "123456789012345678", "big", "-0", "negz", "3", "three"], ["ZSCORE", "z", "big"], ["ZSCORE", "z", "negz"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
            ["OBJECT", "ENCODING", "z"], ["TYPE", "z"], ["ZADD", "long", "1", new string('m', 65)], ["OBJECT", "ENCODING", "long"]] },
        { "sorted set ranges", [
            ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "5", "ee"], ["ZRANGE", "z", "0", "-1"], ["ZRANGE", "z", "1", "3", "WITHSCORES"], ["ZRANGE", "z", "-2", "-1"],
            ["ZRANGE", "z", "3", "1"], ["ZRANGE", "z", "0", "100", "REV"], ["ZREVRANGE", "z", "0", "1", "WITHSCORES"], ["ZRANGE", "z", "(1", "4", "BYSCORE"],
            ["ZRANGE", "z", "4", "(1", "BYSCORE", "REV", "WITHSCORES"], ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"], ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"],
            ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "-1"], ["ZRANGE", "z", "0", "-1", "LIMIT", "1", "2"], ["ZRANGE", "z", "[a", "[c", "BYLEX", "WITHSCORES"],
            ["ZRANGE", "z", "x", "1", "BYSCORE"], ["ZRANGE", "z", "a", "c", "BYLEX"], ["ZRANGE", "z", "0", "1", "BOGUS"], ["ZRANGE", "z", "x", "1"], ["ZRANGE", "missing", "0", "-1"],
            ["ZRANGEBYSCORE", "z", "2", "4"], ["ZRANGEBYSCORE", "z", "(2", "(5", "WITHSCORES"], ["ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "0", "3"],
            ["ZRANGEBYSCORE", "z", "1", "2", "REV"], ["ZREVRANGEBYSCORE", "z", "+inf", "3"], ["ZREVRANGEBYSCORE", "z", "3", "+inf"], ["ZRANGEBYSCORE", "z", "5", "1"],
            ["ZCOUNT", "z", "2", "(5"], ["ZCOUNT", "z", "-inf", "+inf"], ["ZCOUNT", "z", "x", "1"], ["ZCOUNT", "missing", "0", "1"], ["ZRANK", "z", "c"], ["ZREVRANK", "z", "c"],
            ["ZRANK", "z", "nope"], ["ZRANK", "missing", "a"], ["ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"], ["ZRANGEBYLEX", "lex", "-", "+"],
            ["ZRANGEBYLEX", "lex", "[b", "(d"], ["ZRANGEBYLEX", "lex", "(b", "+", "LIMIT", "1", "2"], ["ZREVRANGEBYLEX", "lex", "+", "[c"], ["ZRANGEBYLEX", "lex", "+", "-"],
            ["ZRANGEBYLEX", "lex", "b", "d"], ["ZLEXCOUNT", "lex", "[b", "[d"], ["ZLEXCOUNT", "lex", "-", "+"], ["ZLEXCOUNT", "lex", "x", "+"], ["ZRANGE", "lex", "(a", "[c", "BYLEX", "REV"],
            ["ZRANGE", "lex", "[c", "(a", "BYLEX", "REV"], ["ZSCAN", "z", "0"], ["ZSCAN", "z", "0", "MATCH", "e*"], ["ZSCAN", "missing", "0"]] },
        { "sorted set removals and pops", [
            ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"], ["ZREM", "z", "a", "nope"], ["ZREM", "missing", "a"], ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "2"],
            ["ZPOPMIN", "z", "0"], ["ZPOPMIN", "z", "-1"], ["ZPOPMIN", "z", "x"], ["ZPOPMIN", "z", "1", "2"], ["ZPOPMIN", "missing"], ["ZPOPMAX", "missing", "2"],
            ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZADD", "z", "7", "g", "8", "h", "9", "i"], ["ZREMRANGEBYRANK", "z", "0", "1"], ["ZREMRANGEBYSCORE", "z", "(7", "8"],
            ["ZREMRANGEBYSCORE", "z", "x", "8"], ["ZREMRANGEBYRANK", "z", "x", "1"], ["ZRANGE", "z", "0", "-1"], ["ZADD", "lex", "0", "a", "0", "b", "0", "c"],
            ["ZREMRANGEBYLEX", "lex", "[a", "(c"], ["ZREMRANGEBYLEX", "lex", "a", "c"], ["ZRANGE", "lex", "0", "-1"], ["ZREMRANGEBYLEX", "lex", "-", "+"], ["EXISTS", "lex"],
            ["ZREMRANGEBYRANK", "missing", "0", "1"], ["ZPOPMAX", "z", "100"], ["EXISTS", "z"], ["ZADD", "r", "1", "a", "2", "b"], ["ZRANDMEMBER", "r", "0", "WITHSCORES"],
            ["ZRANDMEMBER", "r", "0"], ["ZRANDMEMBER", "missing"], ["ZRANDMEMBER", "missing", "2"], ["ZRANDMEMBER", "r", "x"], ["ZRANDMEMBER", "r", "1", "BOGUS"]] },
        { "sorted set wrong type", [
            ["SET", "s", "v"], ["ZADD", "s", "1", "a"], ["ZADD", "s", "x", "a"], ["ZINCRBY", "s", "1", "a"], ["ZSCORE", "s", "a"], ["ZMSCORE", "s", "a"], ["ZCARD", "s"],
            ["ZRANK", "s", "a"], ["ZCOUNT", "s", "0", "1"], ["ZCOUNT", "s", "x", "1"], ["ZRANGE", "s", "0", "-1"], ["ZRANGE", "s", "x", "1"], ["ZRANGEBYLEX", "s", "-", "+"],
            ["ZREM", "s", "a"], ["ZREMRANGEBYRANK", "s", "0", "1"], ["ZPOPMIN", "s"], ["ZRANDMEMBER", "s"], ["ZSCAN", "s", "0"], ["ZADD", "z", "1", "a"], ["GET", "z"],
            ["SADD", "z", "a"], ["LPUSH", "z", "a"], ["HGET", "z", "a"], ["RENAME", "z", "z2"], ["ZRANGE", "z2", "0", "-1", "WITHSCORES"]] },
        { "setbit getbit", [
            ["SETBIT", "k", "7", "1"], ["GETBIT", "k", "7"], ["GETBIT", "k", "0"], ["GETBIT", "k", "100"], ["SETBIT", "k", "7", "0"], ["GET", "k"], ["SETBIT", "k", "-1", "1"],
            ["SETBIT", "k", "4294967296", "1"], ["SETBIT", "k", "1", "2"], ["SETBIT", "k", "abc", "1"], ["SETBIT", "k", "0", "-1"], ["STRLEN", "k"], ["SETBIT", "n", "100", "1"],
            ["STRLEN", "n"], ["GETBIT", "missing", "5"], ["GETBIT", "k", "abc"], ["GETBIT", "k", "-1"], ["HSET", "h", "f", "v"], ["SETBIT", "h", "0", "1"], ["GETBIT", "h", "0"],
            ["OBJECT", "ENCODING", "n"], ["SET", "s", "5"], ["SETBIT", "s", "6", "1"], ["GET", "s"], ["OBJECT", "ENCODING", "s"], ["SETBIT", "k", "4294967295", "1"], ["STRLEN", "k"], ["DEL", "k"]] },
        { "bitcount bitpos", [
            ["SET", "k", "foobar"], ["BITCOUNT", "k"], ["BITCOUNT", "k", "0", "0"], ["BITCOUNT", "k", "1", "1"], ["BITCOUNT", "k", "1", "1", "BYTE"], ["BITCOUNT", "k", "5", "30", "BIT"],
            ["BITCOUNT", "k", "-1", "-2"], ["BITCOUNT", "k", "0"], ["BITCOUNT", "k", "0", "1", "FOO"], ["BITCOUNT", "k", "a", "b"], ["BITCOUNT", "missing"], ["BITCOUNT", "missing", "0"],
            ["BITCOUNT", "k", "-100", "100"], ["BITCOUNT", "k", "-3", "-1", "BIT"], ["BITCOUNT", "k", "-1", "-2", "BIT"], ["BITCOUNT", "k", "3", "1"],
            ["BITPOS", "k", "1"], ["BITPOS", "k", "0"], ["BITPOS", "k", "1", "2"], ["BITPOS", "k", "0", "-1"], ["BITPOS", "k", "1", "2", "-1", "BYTE"], ["BITPOS", "k", "1", "7", "15", "BIT"],
            ["BITPOS", "k", "0", "0", "0"], ["BITPOS", "k", "2"], ["BITPOS", "k", "a"], ["BITPOS", "missing", "0"], ["BITPOS", "missing", "1"], ["BITPOS", "k", "1", "x"],
            ["BITPOS", "k", "1", "0", "x"], ["BITPOS", "k", "1", "0", "1", "FOO"], ["BITPOS", "k", "1", "-3", "-1", "BIT"], ["BITPOS", "k", "0", "9", "9", "BIT"], ["SET", "z", ""],
            ["BITPOS", "z", "0"], ["BITPOS", "z", "1"], ["BITCOUNT", "z"], ["SETBIT", "ones", "0", "1"], ["SETBIT", "ones", "1", "1"], ["SETBIT", "ones", "2", "1"], ["SETBIT", "ones", "3", "1"],
            ["SETBIT", "ones", "4", "1"], ["SETBIT", "ones", "5", "1"], ["SETBIT", "ones", "6", "1"], ["SETBIT", "ones", "7", "1"], ["BITPOS", "ones", "0"], ["BITPOS", "ones", "0", "0", "-1"],
            ["BITPOS", "ones", "0", "0"], ["BITPOS", "ones", "1", "1"], ["BITPOS", "ones", "0", "2", "5", "BIT"], ["BITPOS", "ones", "0", "2", "BIT"], ["HSET", "h", "f", "v"],
            ["BITCOUNT", "h"], ["BITCOUNT", "h", "x", "y"], ["BITPOS", "h", "1"], ["BITPOS", "h", "3"]] },
        { "bitfield", [
            ["BITFIELD", "k", "SET", "u8", "0", "255"], ["BITFIELD", "k", "GET", "u8", "0"], ["BITFIELD", "k", "INCRBY", "u8", "0", "10"], ["BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300"],
            ["BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1"], ["BITFIELD", "k", "SET", "i8", "#1", "-128", "GET", "i8", "#1", "INCRBY", "i8", "#1", "-1"],
            ["BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "#1", "-100"], ["BITFIELD", "k", "GET", "u4", "0", "GET", "i4", "4", "GET", "u1", "7"],
            ["BITFIELD", "k", "SET", "i64", "16", "-1", "GET", "i64", "16", "INCRBY", "i64", "16", "1"], ["BITFIELD", "k", "INCRBY", "i64", "16", "9223372036854775807"],
            ["BITFIELD", "k", "INCRBY", "i64", "16", "1"], ["BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i64", "16", "9223372036854775807"], ["BITFIELD", "k", "OVERFLOW", "WRAP", "INCRBY", "i64", "16", "1"],
            ["BITFIELD", "k", "SET", "u63", "3", "-1", "GET", "u63", "3"], ["BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u3", "0", "-5", "SET", "i3", "3", "9", "GET", "u6", "0"],
            ["BITFIELD", "k", "GET", "u64", "0"], ["BITFIELD", "k", "GET", "i65", "0"], ["BITFIELD", "k", "GET", "x8", "0"], ["BITFIELD", "k", "GET", "U8", "0"], ["BITFIELD", "k", "GET", "u8", "-1"],
            ["BITFIELD", "k", "GET", "u8", "#-1"], ["BITFIELD", "k", "GET", "u8", "#x"], ["BITFIELD", "k", "SET", "u8", "0"], ["BITFIELD", "k", "FOO"], ["BITFIELD", "k", "OVERFLOW", "BAD"],
            ["BITFIELD", "k", "SET", "u8", "0", "abc"], ["BITFIELD", "k", "GET"], ["BITFIELD_RO", "k", "GET", "u8", "0"], ["BITFIELD_RO", "k", "SET", "u8", "0", "1"],
            ["BITFIELD_RO", "k", "OVERFLOW", "SAT"], ["BITFIELD", "new", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "5"], ["EXISTS", "new"], ["STRLEN", "new"], ["GET", "k"], ["BITFIELD", "k"],
            ["BITFIELD", "missing", "GET", "u8", "0", "GET", "i16", "#3"], ["EXISTS", "missing"], ["HSET", "h", "f", "v"], ["BITFIELD", "h", "GET", "u8", "0"], ["BITFIELD", "h", "SET", "u8", "0", "1"],
            ["BITFIELD_RO", "h", "GET", "u8", "0"], ["BITFIELD", "h", "GET", "x", "0"], ["BITFIELD", "k", "SET", "u8", "#0", "1", "OVERFLOW", "FAIL", "SET", "u8", "#50", "300"], ["STRLEN", "k"],
            ["GETRANGE", "k", "0", "3"], ["BITFIELD", "k", "INCRBY", "u5", "2", "-40", "OVERFLOW", "SAT", "INCRBY", "u5", "2", "-40", "GET", "u5", "2"]] },
        { "bitop", [
            ["SET", "a", "abc"], ["SET", "b", "ab"], ["BITOP", "AND", "d", "a", "b"], ["GET", "d"], ["BITOP", "or", "d", "a", "b"], ["GET", "d"], ["BITOP", "XOR", "d", "a", "b"], ["GET", "d"],
            ["BITOP", "NOT", "d", "a"], ["STRLEN", "d"], ["BITCOUNT", "d"], ["BITOP", "NOT", "d", "a", "b"], ["BITOP", "FOO", "d", "a"], ["BITOP", "AND", "d", "missing1", "missing2"],
            ["EXISTS", "d"], ["BITOP", "OR", "d", "a", "missing"], ["GET", "d"], ["HSET", "h", "f", "v"], ["BITOP", "AND", "d", "a", "h"], ["SET", "d", "x", "EX", "100"],
            ["BITOP", "OR", "d", "a"], ["TTL", "d"], ["OBJECT", "ENCODING", "d"], ["BITOP", "AND", "a", "a", "b"], ["GET", "a"], ["BITOP", "NOT", "h", "b"], ["TYPE", "h"], ["GET", "h"]] },
        { "lcs substr", [
            ["SET", "a", "ohmytext"], ["SET", "b", "mynewtext"], ["LCS", "a", "b"], ["LCS", "a", "b", "LEN"], ["LCS", "a", "b", "IDX"], ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4"],
            ["LCS", "a", "b", "IDX", "WITHMATCHLEN"], ["LCS", "a", "b", "idx", "minmatchlen", "4", "withmatchlen"], ["LCS", "a", "b", "LEN", "IDX"], ["LCS", "a", "b", "FOO"],
            ["LCS", "a", "b", "MINMATCHLEN", "x"], ["LCS", "a", "b", "MINMATCHLEN"], ["LCS", "a", "missing"], ["LCS", "missing", "missing2", "IDX"], ["LCS", "missing", "missing2", "LEN"],
            ["HSET", "h", "f", "v"], ["LCS", "a", "h"], ["LCS", "h", "a", "FOO"], ["LCS", "a", "a", "IDX", "MINMATCHLEN", "-5"], ["SET", "c", "xaxbxcx"], ["SET", "e", "abc"],
            ["LCS", "c", "e", "IDX", "WITHMATCHLEN"], ["LCS", "e", "c", "IDX"], ["SUBSTR", "a", "0", "3"], ["SUBSTR", "a", "-3", "-1"], ["SUBSTR", "missing", "0", "1"],
            ["SUBSTR", "a", "x", "1"], ["SUBSTR", "h", "0", "1"], ["SUBSTR", "a", "5", "2"]] },
        { "zunion zinter zdiff", [
            ["ZADD", "z1", "1", "a", "2", "b", "3", "c"], ["ZADD", "z2", "10", "b", "20", "c", "30", "d"], ["SADD", "s", "a", "d", "e"],
            ["ZUNION", "2", "z1", "z2"], ["ZUNION", "2", "z1", "z2", "WITHSCORES"], ["ZUNION", "3", "z1", "z2", "s", "WITHSCORES"], ["ZINTER", "2", "z1", "z2", "WITHSCORES"],
            ["ZINTER", "2", "z1", "z2", "WEIGHTS", "2", "0.5", "WITHSCORES"], ["ZINTER", "2", "z1", "z2", "AGGREGATE", "MIN", "WITHSCORES"], ["ZUNION", "2", "z1", "z2", "AGGREGATE", "max", "withscores"],
            ["ZDIFF", "2", "z1", "z2", "WITHSCORES"], ["ZDIFF", "3", "z2", "z1", "s"], ["ZDIFF", "1", "missing"], ["ZUNION", "1", "missing"], ["ZINTER", "2", "z1", "missing"],
            ["ZUNIONSTORE", "dst", "2", "z1", "z2", "WEIGHTS", "1", "-1"], ["ZRANGE", "dst", "0", "-1", "WITHSCORES"], ["ZINTERSTORE", "dst", "2", "z1", "s"], ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
            ["ZDIFFSTORE", "dst", "2", "z1", "z1"], ["EXISTS", "dst"], ["ZINTERCARD", "2", "z1", "z2"], ["ZINTERCARD", "2", "z1", "z2", "LIMIT", "1"], ["ZINTERCARD", "0", "z1"],
            ["ZINTERCARD", "3", "z1"], ["ZINTERCARD", "1", "z1", "LIMIT", "-1"], ["ZINTERCARD", "1", "z1", "WITHSCORES"], ["ZUNION", "0", "z1"], ["ZUNION", "x", "z1"],
            ["ZUNION", "3", "z1", "z2"], ["ZUNION", "2", "z1", "z2", "WEIGHTS", "1"], ["ZUNION", "2", "z1", "z2", "WEIGHTS", "1", "x"], ["ZUNION", "2", "z1", "z2", "AGGREGATE", "AVG"],
            ["ZUNIONSTORE", "dst", "2", "z1", "z2", "WITHSCORES"], ["ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "1"], ["ZUNIONSTORE", "dst", "0", "z1"], ["SET", "str", "v"],
            ["ZUNION", "2", "z1", "str"], ["ZINTER", "2", "str", "z1", "BOGUS"], ["ZADD", "inf", "inf", "x", "-inf", "y"], ["ZUNION", "2", "inf", "inf", "WEIGHTS", "1", "-1", "WITHSCORES"],
            ["ZUNION", "1", "inf", "WEIGHTS", "0", "WITHSCORES"], ["ZINTER", "2", "inf", "inf", "WEIGHTS", "1", "-1", "AGGREGATE", "MIN", "WITHSCORES"], ["ZADD", "t", "1", "b", "1", "a", "1", "B"],
            ["ZUNION", "1", "t", "WITHSCORES"], ["ZUNIONSTORE", "big", "2", "z1", "z2"], ["OBJECT", "ENCODING", "big"], ["ZDIFFSTORE", "str", "1", "z1"], ["TYPE", "str"]] },
        { "zrangestore", [
            ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ["ZRANGESTORE", "dst", "z", "0", "1"], ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
            ["ZRANGESTORE", "dst", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "2"], ["ZRANGE", "dst", "0", "-1", "WITHSCORES"], ["ZRANGESTORE", "dst", "z", "[c", "-", "BYLEX", "REV"],
            ["ZRANGE", "dst", "0", "-1"], ["ZRANGESTORE", "dst", "z", "5", "6"], ["EXISTS", "dst"], ["ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES"], ["ZRANGESTORE", "dst", "missing", "0", "-1"],
            ["ZRANGESTORE", "dst", "z", "0", "1", "LIMIT", "0", "1"], ["ZRANGESTORE", "dst", "z", "a", "b"], ["SET", "str", "v"], ["ZRANGESTORE", "dst", "str", "0", "-1"],
            ["ZRANGESTORE", "str", "z", "0", "0"], ["TYPE", "str"], ["ZRANGESTORE", "dst", "z", "0"]] },
        { "lmpop zmpop", [
            ["RPUSH", "l2", "a", "b", "c"], ["LMPOP", "2", "l1", "l2", "LEFT"], ["LMPOP", "2", "l1", "l2", "RIGHT", "COUNT", "5"], ["EXISTS", "l2"], ["LMPOP", "2", "l1", "l2", "LEFT"],
            ["LMPOP", "0", "l1", "LEFT"], ["LMPOP", "x", "l1", "LEFT"], ["LMPOP", "1", "l1"], ["LMPOP", "1", "l1", "UP"], ["LMPOP", "1", "l1", "LEFT", "COUNT", "0"],
            ["LMPOP", "1", "l1", "LEFT", "COUNT"], ["LMPOP", "1", "l1", "LEFT", "COUNT", "1", "COUNT", "1"], ["LMPOP", "5", "l1", "LEFT"], ["SET", "str", "v"], ["RPUSH", "l3", "x"],
            ["LMPOP", "2", "str", "l3", "LEFT"], ["LMPOP", "2", "l3", "str", "left"], ["ZADD", "z2", "1", "a", "2", "b", "3", "c"], ["ZMPOP", "2", "z1", "z2", "MIN"],
            ["ZMPOP", "2", "z1", "z2", "MAX", "COUNT", "10"], ["ZMPOP", "1", "z2", "MIN"], ["ZMPOP", "0", "z2", "MIN"], ["ZMPOP", "1", "z2", "LEFT"], ["ZMPOP", "1", "z2", "MIN", "COUNT", "-1"],
            ["ZMPOP", "2", "str", "z2", "MIN"], ["ZADD", "inf", "-inf", "m"], ["ZMPOP", "1", "inf", "max"]] },
        { "lmove rpoplpush smove", [
            ["RPUSH", "a", "1", "2", "3"], ["LMOVE", "a", "b", "LEFT", "RIGHT"], ["LMOVE", "a", "a", "LEFT", "RIGHT"], ["LRANGE", "a", "0", "-1"], ["RPOPLPUSH", "a", "b"],
            ["LRANGE", "b", "0", "-1"], ["SET", "str", "x"], ["LMOVE", "a", "str", "LEFT", "LEFT"], ["LRANGE", "a", "0", "-1"], ["LMOVE", "missing", "str", "LEFT", "LEFT"],
            ["LMOVE", "a", "b", "UP", "LEFT"], ["LMOVE", "a", "b", "left", "right"], ["EXISTS", "a"], ["LMOVE", "str", "b", "LEFT", "LEFT"], ["RPOPLPUSH", "b", "b"],
            ["LRANGE", "b", "0", "-1"], ["LMOVE", "a"], ["RPOPLPUSH", "a"], ["EXPIRE", "b", "100"], ["RPUSH", "one", "x"], ["EXPIRE", "one", "50"], ["LMOVE", "one", "str", "LEFT", "LEFT"],
            ["TTL", "one"], ["LRANGE", "one", "0", "-1"], ["SADD", "s1", "m", "n"], ["SMOVE", "s1", "s2", "m"], ["SMOVE", "s1", "s2", "zz"], ["SMOVE", "s1", "s1", "n"],
            ["SMOVE", "s1", "s1", "zz"], ["SMOVE", "s1", "str", "n"], ["SMOVE", "s1", "str", "zz"], ["SMOVE", "missing", "str", "zz"], ["SMOVE", "str", "s1", "x"], ["SMEMBERS", "s2"],
            ["SMOVE", "s1", "s2", "n"], ["EXISTS", "s1"], ["SMEMBERS", "s2"], ["SMOVE", "s1", "s2"], ["SADD", "ints", "1"], ["SMOVE", "s2", "ints", "m"], ["OBJECT", "ENCODING", "ints"]] },
        { "blocking pops that need not wait", [
            ["RPUSH", "q", "a", "b", "c"], ["BLPOP", "q", "0"], ["BRPOP", "nosuch", "q", "0.01"], ["BLPOP", "nosuch", "0.01"], ["BZPOPMIN", "nosuch", "0.01"], ["ZADD", "z", "1", "a", "2", "b", "3", "c"],
            ["BZPOPMIN", "z", "0"], ["BZPOPMAX", "nosuch", "z", "1"], ["BLMPOP", "0.01", "2", "nosuch", "q", "RIGHT", "COUNT", "9"], ["BLMPOP", "0.01", "1", "nosuch", "LEFT"],
            ["BZMPOP", "0", "1", "z", "MAX", "COUNT", "2"], ["BZMPOP", "0.01", "1", "z", "MIN"], ["BLMOVE", "nosuch", "q", "LEFT", "RIGHT", "0.01"], ["BRPOPLPUSH", "nosuch", "q", "0.01"],
            ["RPUSH", "q2", "x", "y"], ["BLMOVE", "q2", "q", "LEFT", "RIGHT", "0"], ["BRPOPLPUSH", "q2", "q", "0"], ["LRANGE", "q", "0", "-1"], ["BLPOP", "q", "-1"], ["BLPOP", "q", "x"],
            ["BLPOP", "q", "1e400"], ["BLPOP", "q", "inf"], ["BLPOP", "q", "1e17"], ["BLPOP", "q", "-0.0001"], ["BLPOP", "q", " 1"], ["BLPOP", "q"], ["BLMPOP", "0", "0", "q", "LEFT"], ["BLMPOP", "x", "1", "q", "LEFT"], ["BLMPOP", "0", "1", "q", "UP"],
            ["BLMOVE", "q", "q2", "UP", "LEFT", "0"], ["BLMOVE", "q", "q2", "LEFT", "LEFT", "-1"], ["SET", "s", "v"], ["BLPOP", "s", "0"], ["BLPOP", "nosuch", "s", "0"], ["BZPOPMIN", "s", "0"],
            ["BLMOVE", "q", "s", "LEFT", "LEFT", "0"], ["LRANGE", "q", "0", "-1"], ["BZMPOP", "0", "1", "s", "MIN"], ["BLPOP", "q", "0.5"], ["EXISTS", "q"]] },
        { "copy", [
            ["SET", "a", "v", "EX", "100"], ["COPY", "a", "b"], ["GET", "b"], ["TTL", "b"], ["COPY", "a", "b"], ["SET", "a", "w"], ["COPY", "a", "b", "REPLACE"], ["GET", "b"], ["TTL", "b"],
            ["COPY", "a", "a"], ["COPY", "a", "a", "DB", "10"], ["SELECT", "10"], ["GET", "a"], ["SELECT", "9"], ["COPY", "missing", "b"], ["COPY", "missing", "b", "REPLACE"],
            ["COPY", "a", "b", "DB", "99"], ["COPY", "a", "b", "DB", "-1"], ["COPY", "a", "b", "DB", "x"], ["COPY", "a", "b", "FOO"], ["COPY", "a", "b", "DB"], ["COPY", "a"],
            ["HSET", "h", "f", "v"], ["COPY", "h", "h2"], ["HGETALL", "h2"], ["RPUSH", "l", "1", "2"], ["COPY", "l", "b", "REPLACE"], ["TYPE", "b"], ["LRANGE", "b", "0", "-1"],
            ["ZADD", "z", "1", "m"], ["COPY", "z", "z2"], ["ZRANGE", "z2", "0", "-1", "WITHSCORES"], ["SADD", "s", "2", "1"], ["COPY", "s", "s2"], ["SMEMBERS", "s2"],
            ["OBJECT", "ENCODING", "s2"], ["SET", "n", "12"], ["COPY", "n", "n2"], ["OBJECT", "ENCODING", "n2"], ["LPUSH", "l", "0"], ["LRANGE", "b", "0", "-1"]] },
        { "sort", [
            ["RPUSH", "l", "3", "1", "10", "2"], ["SORT", "l"], ["SORT", "l", "DESC"], ["SORT", "l", "ALPHA"], ["SORT", "l", "LIMIT", "1", "2"], ["SORT", "l", "LIMIT", "-1", "2"],
            ["SORT", "l", "LIMIT", "2", "-1"], ["SORT", "l", "LIMIT", "10", "1"], ["SORT", "l", "BY", "nosort"], ["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"],
            ["MSET", "w_3", "30", "w_1", "5", "w_10", "1", "w_2", "20"], ["SORT", "l", "BY", "w_*"], ["SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*"], ["SORT", "l", "GET", "nothing_*"],
            ["HSET", "h_1", "f", "b"], ["HSET", "h_2", "f", "a"], ["SORT", "l", "BY", "h_*->f", "ALPHA", "GET", "#", "GET", "h_*->f"], ["SORT", "l", "GET", "x"],
            ["SORT", "l", "STORE", "dst"], ["LRANGE", "dst", "0", "-1"], ["SORT", "l", "GET", "h_*->f", "STORE", "dst"], ["LRANGE", "dst", "0", "-1"], ["SORT", "missing", "STORE", "dst"],
            ["EXISTS", "dst"], ["SORT_RO", "l", "DESC"], ["SORT_RO", "l", "STORE", "dst"], ["RPUSH", "bad", "a", "1"], ["SORT", "bad"], ["SORT", "bad", "ALPHA"], ["SORT", "l", "FOO"],
            ["SORT", "l", "LIMIT", "x", "1"], ["SORT", "l", "LIMIT", "1"], ["SET", "str", "v"], ["SORT", "str"], ["SORT", "str", "FOO"], ["SADD", "s", "b", "c", "a"],
            ["SORT", "s", "ALPHA"], ["SORT", "s", "BY", "nosort", "STORE", "dst"], ["LRANGE", "dst", "0", "-1"], ["ZADD", "z", "3", "x", "1", "y", "2", "w"], ["SORT", "z", "BY", "nosort"],
            ["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "0", "2"], ["SORT", "z", "ALPHA", "DESC"], ["RPUSH", "f", "1.5", " 2", "", "-inf", "1e2"], ["SORT", "f"], ["RPUSH", "n", "nan"],
            ["SORT", "n"], ["SORT", "l", "BY", "w_*", "DESC", "LIMIT", "0", "3", "GET", "w_*"], ["SADD", "ints", "5", "3", "4"], ["SORT", "ints", "BY", "nosort"], ["SORT", "ints", "BY", "nosort", "DESC"]] },
        { "binary and odd keys", [["SET", "", "empty key"], ["GET", ""], ["SET", "\u00e9\u00e8", "\u00ff"], ["GET", "\u00e9\u00e8"], ["SET", "{tag}a", "1"], ["EXISTS", "", "{tag}a"]] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void RepliesMatchRedisInResp2(string name, string[][] script) => Compare(name, script, protocol: 2);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void RepliesMatchRedisInResp3(string name, string[][] script) => Compare(name, script, protocol: 3);

    // Redis answers these in the order of its hash tables, which is seeded at random per process.
    // Sets of integers only are intsets, listed in order: those replies are compared as they are.
    private static bool IsUnordered(string[] command, string expected) =>
        (command[0] is "CONFIG" && command[1] is "GET") || (command[0] is "COMMAND" && command.Length > 1 && command[1] is "LIST") || command[0] is "KEYS"
        || (command[0] is "SMEMBERS" or "SUNION" or "SINTER" or "SDIFF" or "SRANDMEMBER" or "SPOP" or "SSCAN" && !OnlyIntegers(expected));

    private static bool OnlyIntegers(string reply) =>
        reply.Split("\r\n").Where((_, i) => i > 0).Where((line, i) => i % 2 == 1 && line.Length > 0)
            .All(line => long.TryParse(line, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _));

    // The reply's elements in sorted order, written back as RESP; CONFIG GET's name-value pairs stay together.
    private static string Sorted(string reply, bool pairs)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(reply);
        int offset = 0;
        var parsed = ReplyParser.Parse(bytes, ref offset);
        Reply normalized = parsed switch
        {
            MapReply map => new MapReply(SortChunks(map.KeysAndValues, 2)),
            ArrayReply { Items: [BulkReply cursor, ArrayReply page] } => new ArrayReply([cursor, new ArrayReply(SortChunks(page.Items, 1))]),
            ArrayReply array => new ArrayReply(SortChunks(array.Items, pairs ? 2 : 1)),
            SetReply set => new SetReply(SortChunks(set.Items, 1)),
            _ => parsed,
        };
        var buffer = new ArrayBufferWriter<byte>();
        ReplyWriter.Write(buffer, normalized, parsed is MapReply ? 3 : 2);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Reply[] SortChunks(Reply[] items, int size) =>
        items.Chunk(size).OrderBy(chunk => chunk[0] is BulkReply bulk ? Encoding.UTF8.GetString(bulk.Value) : "", StringComparer.Ordinal).SelectMany(c => c).ToArray();

    private void Compare(string name, string[][] script, int protocol)
    {
        using var ours = new RawClient(fixture.Port);
        using var redis = new RawClient(fixture.Redis.Port);
        foreach (var client in new[] { ours, redis })
        {
            if (protocol == 3)
            {
                client.Call("HELLO", "3");
            }

            Assert.Equal("+OK\r\n", client.Call("SELECT", "10"));
            Assert.Equal("+OK\r\n", client.Call("FLUSHDB"));
            Assert.Equal("+OK\r\n", client.Call("SELECT", "9"));
            Assert.Equal("+OK\r\n", client.Call("FLUSHDB"));
        }

        foreach (var command in script)
        {
            string expected = redis.Call(command);
            string actual = ours.Call(command);
            output.WriteLine($"{string.Join(' ', command)} -> {expected.Replace("\r\n", "\\r\\n")}");
            if (IsUnordered(command, expected))
            {
                bool pairs = command[0] is "CONFIG";
                (expected, actual) = (Sorted(expected, pairs), Sorted(actual, pairs));
            }

            Assert.True(expected == actual, $"{name}: {string.Join(' ', command)}\nredis: {expected}\nours:  {actual}");
        }
    }
}
