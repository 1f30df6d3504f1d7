using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Grains.Notifications;

/// <summary>One keyspace event: its class and its name (<c>set</c>, <c>del</c>, <c>expired</c>, …).</summary>
public readonly record struct KeyspaceEvent(KeyspaceEventFlags Class, string Name);

/// <summary>
/// Which events a key command raises, as Redis 7.0 notifies them (notifyKeyspaceEvent calls in
/// t_string.c, t_hash.c, db.c, expire.c), decided from what the command did to the key: whether
/// it existed before and after, whether it changed, its expiry after. Also how events are
/// published: to <c>__keyspace@db__:key</c> (K) and <c>__keyevent@db__:event</c> (E).
/// </summary>
public static class KeyspaceEvents
{
    /// <summary>Adds the events of one command that ran (not those of one refused with an error).</summary>
    public static void Add(List<KeyspaceEvent> events, KeyCommand command, Reply reply, bool existedBefore, bool existsAfter, bool changed, long expireAfter)
    {
        if (reply is ErrorReply)
        {
            return;
        }

        if (!existedBefore && existsAfter)
        {
            events.Add(new(KeyspaceEventFlags.New, "new"));
        }

        switch (command.Id)
        {
            case CommandId.Set or CommandId.SetNx or CommandId.SetEx or CommandId.PSetEx or CommandId.GetSet when changed:
                events.Add(new(KeyspaceEventFlags.String, "set"));
                if (command.Id is CommandId.SetEx or CommandId.PSetEx || (command.Id == CommandId.Set && HasExpiryOption(command)))
                {
                    events.Add(new(KeyspaceEventFlags.Generic, "expire"));
                }

                break;
            case CommandId.Append when changed:
                events.Add(new(KeyspaceEventFlags.String, "append"));
                break;
            case CommandId.SetRange when changed:
                events.Add(new(KeyspaceEventFlags.String, "setrange"));
                break;
            case CommandId.SetBit or CommandId.BitField when changed:
                events.Add(new(KeyspaceEventFlags.String, "setbit"));
                break;
            case CommandId.Incr or CommandId.Decr or CommandId.IncrBy or CommandId.DecrBy when changed:
                events.Add(new(KeyspaceEventFlags.String, "incrby"));
                break;
            case CommandId.IncrByFloat when changed:
                events.Add(new(KeyspaceEventFlags.String, "incrbyfloat"));
                break;
            case CommandId.GetEx when changed:
                events.Add(new(KeyspaceEventFlags.Generic, !existsAfter ? "del" : expireAfter == 0 ? "persist" : "expire"));
                break;
            case CommandId.HSet or CommandId.HMSet or CommandId.HSetNx when changed:
                events.Add(new(KeyspaceEventFlags.Hash, "hset"));
                break;
            case CommandId.HDel when changed:
                events.Add(new(KeyspaceEventFlags.Hash, "hdel"));
                if (!existsAfter)
                {
                    events.Add(new(KeyspaceEventFlags.Generic, "del"));
                }

                break;
            case CommandId.HIncrBy when changed:
                events.Add(new(KeyspaceEventFlags.Hash, "hincrby"));
                break;
            case CommandId.HIncrByFloat when changed:
                events.Add(new(KeyspaceEventFlags.Hash, "hincrbyfloat"));
                break;
            case CommandId.LPush or CommandId.LPushX when changed:
                events.Add(new(KeyspaceEventFlags.List, "lpush"));
                break;
            case CommandId.RPush or CommandId.RPushX when changed:
                events.Add(new(KeyspaceEventFlags.List, "rpush"));
                break;
            case CommandId.LPop or CommandId.RPop or CommandId.LRem when changed:
                events.Add(new(KeyspaceEventFlags.List, command.Id == CommandId.LPop ? "lpop" : command.Id == CommandId.RPop ? "rpop" : "lrem"));
                AddDeletion(events, existsAfter);
                break;
            case CommandId.SAdd when changed:
                events.Add(new(KeyspaceEventFlags.Set, "sadd"));
                break;
            case CommandId.SRem or CommandId.SPop when changed:
                events.Add(new(KeyspaceEventFlags.Set, command.Id == CommandId.SRem ? "srem" : "spop"));
                AddDeletion(events, existsAfter);
                break;
            case CommandId.ZAdd or CommandId.ZIncrBy when changed:
                events.Add(new(KeyspaceEventFlags.SortedSet, command.Id == CommandId.ZIncrBy || HasIncrOption(command) ? "zincr" : "zadd"));
                break;
            case CommandId.ZRem or CommandId.ZPopMin or CommandId.ZPopMax or CommandId.ZRemRangeByRank or CommandId.ZRemRangeByScore
                or CommandId.ZRemRangeByLex when changed:
                events.Add(new(KeyspaceEventFlags.SortedSet, command.Id.ToString().ToLowerInvariant()));
                AddDeletion(events, existsAfter);
                break;
            case CommandId.LInsert when changed:
                events.Add(new(KeyspaceEventFlags.List, "linsert"));
                break;
            case CommandId.LSet when changed:
                events.Add(new(KeyspaceEventFlags.List, "lset"));
                break;
            case CommandId.LTrim when existedBefore:
                // Redis notifies every LTRIM of a list, whether it removed anything or not.
                events.Add(new(KeyspaceEventFlags.List, "ltrim"));
                AddDeletion(events, existsAfter);
                break;
            case CommandId.Del or CommandId.Unlink or CommandId.GetDel when existedBefore && !existsAfter:
                events.Add(new(KeyspaceEventFlags.Generic, "del"));
                break;
            case CommandId.Expire or CommandId.PExpire or CommandId.ExpireAt or CommandId.PExpireAt when changed:
                events.Add(new(KeyspaceEventFlags.Generic, existsAfter ? "expire" : "del"));
                break;
            case CommandId.Persist when changed:
                events.Add(new(KeyspaceEventFlags.Generic, "persist"));
                break;
        }

        if (!existedBefore && LooksUpForReading(command.Id))
        {
            events.Add(new(KeyspaceEventFlags.KeyMiss, "keymiss"));
        }
    }

    /// <summary>Publishes <paramref name="events"/> of one key, in order, as the flags allow; each to its keyspace and keyevent channel.</summary>
    public static Task Publish(IGrainFactory grains, KeyspaceEventFlags flags, int db, byte[] key, List<KeyspaceEvent> events)
    {
        var messages = new KeyspaceChannels(flags);
        foreach (var (eventClass, name) in events)
        {
            messages.Add(db, key, eventClass, name);
        }

        return messages.Channels.Count == 0 ? Task.CompletedTask : grains.GetGrain<IPubSubGrain>(0).PublishMany([.. messages.Channels], [.. messages.Messages]);
    }

    // The del event of a command that removed a list's or hash's last element.
    private static void AddDeletion(List<KeyspaceEvent> events, bool existsAfter)
    {
        if (!existsAfter)
        {
            events.Add(new(KeyspaceEventFlags.Generic, "del"));
        }
    }

    // ZADD's options are the words before its first score.
    private static bool HasIncrOption(KeyCommand command) =>
        command.Args.Skip(1).TakeWhile(IsZAddOption).Any(a => Ascii.EqualsIgnoreCase(a, "INCR"u8));

    private static bool IsZAddOption(byte[] arg) =>
        Ascii.EqualsIgnoreCase(arg, "NX"u8) || Ascii.EqualsIgnoreCase(arg, "XX"u8) || Ascii.EqualsIgnoreCase(arg, "GT"u8)
        || Ascii.EqualsIgnoreCase(arg, "LT"u8) || Ascii.EqualsIgnoreCase(arg, "CH"u8) || Ascii.EqualsIgnoreCase(arg, "INCR"u8);

    private static bool HasExpiryOption(KeyCommand command)
    {
        for (int i = 2; i < command.Args.Length; i++)
        {
            var option = command.Args[i];
            if (option.Length is 2 or 4 && (Ascii.EqualsIgnoreCase(option, "EX"u8) || Ascii.EqualsIgnoreCase(option, "PX"u8)
                || Ascii.EqualsIgnoreCase(option, "EXAT"u8) || Ascii.EqualsIgnoreCase(option, "PXAT"u8)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Commands that look their key up for reading (Redis's lookupKeyRead): they count a keyspace hit or miss, and notify a miss.</summary>
    public static bool LooksUpForReading(CommandId id) => id is CommandId.Get or CommandId.GetOrNil or CommandId.GetRange
        or CommandId.StrLen or CommandId.GetDel or CommandId.GetEx or CommandId.GetSet or CommandId.HGet or CommandId.HMGet
        or CommandId.HGetAll or CommandId.HExists or CommandId.HLen or CommandId.HKeys or CommandId.HVals or CommandId.HStrLen
        or CommandId.HRandField or CommandId.HScan or CommandId.Exists or CommandId.Type or CommandId.Ttl or CommandId.PTtl
        or CommandId.ExpireTime or CommandId.PExpireTime or CommandId.Touch or CommandId.LLen or CommandId.LIndex or CommandId.LRange
        or CommandId.LPos or CommandId.SCard or CommandId.SIsMember or CommandId.SMIsMember or CommandId.SMembers or CommandId.SRandMember
        or CommandId.SScan or CommandId.ZScore or CommandId.ZMScore or CommandId.ZCard or CommandId.ZRank or CommandId.ZRevRank
        or CommandId.ZCount or CommandId.ZLexCount or CommandId.ZRange or CommandId.ZRevRange or CommandId.ZRangeByScore
        or CommandId.ZRevRangeByScore or CommandId.ZRangeByLex or CommandId.ZRevRangeByLex or CommandId.ZRandMember or CommandId.ZScan;

    /// <summary>
    /// Commands that count a keyspace hit or miss: those of <see cref="LooksUpForReading"/>, and
    /// OBJECT's subcommands, whose look-up counts but notifies nothing (Redis's LOOKUP_NONOTIFY).
    /// </summary>
    public static bool CountsLookup(CommandId id) =>
        LooksUpForReading(id) || id is CommandId.ObjectEncoding or CommandId.ObjectIdleTime or CommandId.ObjectFreq;
}
