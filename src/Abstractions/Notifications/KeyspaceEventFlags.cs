namespace OrleansRedis.Abstractions.Notifications;

/// <summary>
/// The classes of keyspace notifications, as Redis 7.0's <c>notify-keyspace-events</c> names
/// them by letter: where events go (K, E) and which are sent (g, $, l, s, h, z, x, e, t, m, d, n; A for most).
/// </summary>
[Flags]
public enum KeyspaceEventFlags
{
    /// <summary>No notifications (the default).</summary>
    None = 0,

    /// <summary>K: to <c>__keyspace@db__:key</c>, the event as message.</summary>
    Keyspace = 1 << 0,

    /// <summary>E: to <c>__keyevent@db__:event</c>, the key as message.</summary>
    Keyevent = 1 << 1,

    /// <summary>g: generic commands (DEL, EXPIRE, RENAME, …).</summary>
    Generic = 1 << 2,

    /// <summary>$: string commands.</summary>
    String = 1 << 3,

    /// <summary>l: list commands.</summary>
    List = 1 << 4,

    /// <summary>s: set commands.</summary>
    Set = 1 << 5,

    /// <summary>h: hash commands.</summary>
    Hash = 1 << 6,

    /// <summary>z: sorted set commands.</summary>
    SortedSet = 1 << 7,

    /// <summary>x: a key expired.</summary>
    Expired = 1 << 8,

    /// <summary>e: a key was evicted for maxmemory.</summary>
    Evicted = 1 << 9,

    /// <summary>t: stream commands.</summary>
    Stream = 1 << 10,

    /// <summary>m: a read found no key (not part of A).</summary>
    KeyMiss = 1 << 11,

    /// <summary>d: module events.</summary>
    Module = 1 << 12,

    /// <summary>n: a new key was created (not part of A).</summary>
    New = 1 << 13,

    /// <summary>A: g$lshzxetd.</summary>
    All = Generic | String | List | Set | Hash | SortedSet | Expired | Evicted | Stream | Module,
}

/// <summary>Parses and prints <c>notify-keyspace-events</c> as Redis does.</summary>
public static class KeyspaceEventClasses
{
    /// <summary>The flags of a <c>notify-keyspace-events</c> value, or null when a character is not a class.</summary>
    public static KeyspaceEventFlags? Parse(string value)
    {
        var flags = KeyspaceEventFlags.None;
        foreach (char c in value)
        {
            flags |= c switch
            {
                'A' => KeyspaceEventFlags.All,
                'g' => KeyspaceEventFlags.Generic,
                '$' => KeyspaceEventFlags.String,
                'l' => KeyspaceEventFlags.List,
                's' => KeyspaceEventFlags.Set,
                'h' => KeyspaceEventFlags.Hash,
                'z' => KeyspaceEventFlags.SortedSet,
                'x' => KeyspaceEventFlags.Expired,
                'e' => KeyspaceEventFlags.Evicted,
                'K' => KeyspaceEventFlags.Keyspace,
                'E' => KeyspaceEventFlags.Keyevent,
                't' => KeyspaceEventFlags.Stream,
                'm' => KeyspaceEventFlags.KeyMiss,
                'd' => KeyspaceEventFlags.Module,
                'n' => KeyspaceEventFlags.New,
                _ => (KeyspaceEventFlags?)null,
            } ?? (KeyspaceEventFlags)(-1);
            if (flags == (KeyspaceEventFlags)(-1))
            {
                return null;
            }
        }

        return flags;
    }

    /// <summary>The flags as CONFIG GET prints them (Redis's keyspaceEventsFlagsToString: with A, an n is in force but not printed).</summary>
    public static string Format(KeyspaceEventFlags flags)
    {
        var text = new System.Text.StringBuilder();
        if ((flags & KeyspaceEventFlags.All) == KeyspaceEventFlags.All)
        {
            text.Append('A');
        }
        else
        {
            foreach (var (flag, letter) in new[]
            {
                (KeyspaceEventFlags.Generic, 'g'), (KeyspaceEventFlags.String, '$'), (KeyspaceEventFlags.List, 'l'),
                (KeyspaceEventFlags.Set, 's'), (KeyspaceEventFlags.Hash, 'h'), (KeyspaceEventFlags.SortedSet, 'z'),
                (KeyspaceEventFlags.Expired, 'x'), (KeyspaceEventFlags.Evicted, 'e'), (KeyspaceEventFlags.Stream, 't'),
                (KeyspaceEventFlags.Module, 'd'), (KeyspaceEventFlags.New, 'n'),
            })
            {
                if (flags.HasFlag(flag))
                {
                    text.Append(letter);
                }
            }
        }

        foreach (var (flag, letter) in new[] { (KeyspaceEventFlags.Keyspace, 'K'), (KeyspaceEventFlags.Keyevent, 'E'), (KeyspaceEventFlags.KeyMiss, 'm') })
        {
            if (flags.HasFlag(flag))
            {
                text.Append(letter);
            }
        }

        return text.ToString();
    }
}
