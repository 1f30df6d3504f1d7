using OrleansRedis.Abstractions.Notifications;

namespace OrleansRedis.Grains.Notifications;

/// <summary>This node's <c>notify-keyspace-events</c>: set at start and by CONFIG SET through every node.</summary>
public sealed class NotificationSettings
{
    private volatile int _flags;

    /// <summary>The classes of events published.</summary>
    public KeyspaceEventFlags Flags
    {
        get => (KeyspaceEventFlags)_flags;
        set => _flags = (int)value;
    }

    /// <summary>Whether any event can be published (K or E, and some class).</summary>
    public bool Enabled => (Flags & (KeyspaceEventFlags.Keyspace | KeyspaceEventFlags.Keyevent)) != 0
        && (Flags & ~(KeyspaceEventFlags.Keyspace | KeyspaceEventFlags.Keyevent)) != 0;
}
