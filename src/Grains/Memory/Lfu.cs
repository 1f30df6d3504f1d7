namespace OrleansRedis.Grains.Memory;

/// <summary>
/// Redis's LFU counter: 8 bits, logarithmic (the more accesses it counts, the less likely the
/// next one raises it; lfu-log-factor 10), halved in worth over time (one step down per
/// lfu-decay-time minute, 1). New keys start at 5 so they are not evicted at once.
/// </summary>
public static class Lfu
{
    /// <summary>A new key's counter.</summary>
    public const byte Initial = 5;

    private const int LogFactor = 10;
    private const int DecayMinutes = 1;

    /// <summary>The counter as time has worn it down since <paramref name="lastMinute"/>.</summary>
    public static byte Decayed(byte counter, long lastMinute, long nowMinute)
    {
        long periods = (nowMinute - lastMinute) / DecayMinutes;
        return periods >= counter ? (byte)0 : (byte)(counter - Math.Max(0, periods));
    }

    /// <summary>One access: the decayed counter, raised with probability 1 / ((counter - 5) * 10 + 1).</summary>
    public static byte Touch(byte counter, long lastMinute, long nowMinute)
    {
        counter = Decayed(counter, lastMinute, nowMinute);
        if (counter == byte.MaxValue)
        {
            return counter;
        }

        double baseline = Math.Max(0, counter - Initial);
        return Random.Shared.NextDouble() < 1.0 / ((baseline * LogFactor) + 1) ? (byte)(counter + 1) : counter;
    }
}
