namespace OrleansRedis.Abstractions.Commands;

/// <summary>
/// Every command OrleansRedis knows, by family. Key-grain commands travel to grains as this
/// id; the entries under "internal" are steps of multi-key commands, never sent by clients.
/// </summary>
public enum CommandId : ushort
{
    /// <summary>Not a command.</summary>
    None,

    // Connection and server
    Ping, Echo, Hello, Auth, Select, Move, Quit, Reset, Client, Command, Info, Config, DbSize,
    FlushDb, FlushAll, Time, Cluster, BgRewriteAof, Node, Acl, MemoryPurge, Shutdown,

    // Strings
    Set, Get, GetSet, GetDel, GetEx, SetNx, SetEx, PSetEx, MSet, MSetNx, MGet, Append, StrLen,
    GetRange, SubStr, SetRange, Incr, Decr, IncrBy, DecrBy, IncrByFloat,

    // Strings over two keys (run where the command was received)
    Lcs,

    // Bitmaps: on one key, then BITOP over several (run where the command was received)
    SetBit, GetBit, BitCount, BitPos, BitField, BitFieldRo, BitOp,

    // Hashes
    HSet, HSetNx, HGet, HMGet, HMSet, HGetAll, HDel, HExists, HLen, HKeys, HVals, HIncrBy,
    HIncrByFloat, HStrLen, HRandField, HScan,

    // Lists
    LPush, RPush, LPushX, RPushX, LPop, RPop, LLen, LIndex, LInsert, LRange, LRem, LSet, LTrim, LPos,

    // Sets: on one key, then those over several sets (run where the command was received)
    SAdd, SRem, SCard, SIsMember, SMIsMember, SMembers, SRandMember, SPop, SScan,
    SInter, SUnion, SDiff, SInterCard, SInterStore, SUnionStore, SDiffStore,

    // Sorted sets
    ZAdd, ZIncrBy, ZScore, ZMScore, ZCard, ZRank, ZRevRank, ZCount, ZLexCount, ZRange, ZRevRange, ZRangeByScore,
    ZRevRangeByScore, ZRangeByLex, ZRevRangeByLex, ZRem, ZRemRangeByRank, ZRemRangeByScore, ZRemRangeByLex, ZPopMin, ZPopMax,
    ZRandMember, ZScan,

    // Sorted sets over several keys, and pops from the first of several lists or sorted sets (run where the command was received)
    ZUnion, ZInter, ZDiff, ZUnionStore, ZInterStore, ZDiffStore, ZInterCard, ZRangeStore, ZMPop, LMPop,

    // Moves between two keys, and the blocking pops (run where the command was received)
    LMove, RPopLPush, SMove, BLPop, BRPop, BLMove, BRPopLPush, BLMPop, BZPopMin, BZPopMax, BZMPop,

    // Keys
    Del, Unlink, Exists, Type, Expire, PExpire, ExpireAt, PExpireAt, Ttl, PTtl, ExpireTime,
    PExpireTime, Persist, Keys, Scan, Rename, RenameNx, RandomKey, ObjectEncoding, ObjectIdleTime, ObjectFreq, MemoryUsage, Touch,

    // Keys: run where the command was received
    Copy, Sort, SortRo,

    // Pub/sub
    Subscribe, Unsubscribe, PSubscribe, PUnsubscribe, Publish, PubSub,

    // Internal steps of multi-key commands
    /// <summary>GET for MGET: a key of another type reads as nil instead of WRONGTYPE.</summary>
    GetOrNil,

    /// <summary>For ZUNION, ZINTER and ZDIFF: a sorted set's members with their scores, or a set's with score 1.</summary>
    ZMembersWithScores,

    /// <summary>For ZRANGESTORE: the range ZRANGE's arguments select, with scores, whatever the kind of range.</summary>
    ZRangeForStore,

    /// <summary>For SORT: the key's type and a list's, set's or sorted set's elements in their own order (a sorted set's by score).</summary>
    SortElements,
}
