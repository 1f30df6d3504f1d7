using System.Text;

namespace OrleansRedis.Abstractions.Notifications;

/// <summary>
/// The messages of keyspace notifications, as Redis sends them: an event of a key goes to
/// <c>__keyspace@db__:key</c> with the event's name (K) and to <c>__keyevent@db__:name</c> with
/// the key (E), as the flags allow. What key grains and the dispatcher (RENAME, MOVE) publish.
/// </summary>
public sealed class KeyspaceChannels(KeyspaceEventFlags flags)
{
    /// <summary>The channels, in order.</summary>
    public List<byte[]> Channels { get; } = [];

    /// <summary>The message of each channel.</summary>
    public List<byte[]> Messages { get; } = [];

    /// <summary>Adds the messages of event <paramref name="name"/> of class <paramref name="eventClass"/> on <paramref name="key"/>, if the flags enable the class.</summary>
    public void Add(int db, byte[] key, KeyspaceEventFlags eventClass, string name)
    {
        if ((flags & eventClass) == 0)
        {
            return;
        }

        if (flags.HasFlag(KeyspaceEventFlags.Keyspace))
        {
            Channels.Add([.. Encoding.ASCII.GetBytes($"__keyspace@{db}__:"), .. key]);
            Messages.Add(Encoding.ASCII.GetBytes(name));
        }

        if (flags.HasFlag(KeyspaceEventFlags.Keyevent))
        {
            Channels.Add(Encoding.ASCII.GetBytes($"__keyevent@{db}__:{name}"));
            Messages.Add(key);
        }
    }
}
