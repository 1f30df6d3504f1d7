using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;

namespace OrleansRedis.Grains.Commands.Keys;

/// <summary>Turns an expiry argument into an absolute Unix time in milliseconds, with Redis's checks.</summary>
internal static class Expiry
{
    /// <summary>
    /// The SET/GETEX/SETEX rules (getExpireMillisecondsOrReply): the value must be positive,
    /// and must not overflow once converted to absolute milliseconds.
    /// </summary>
    public static ErrorReply? ForSet(ReadOnlySpan<byte> text, bool seconds, bool relative, long nowMs, string command, out long atMs)
    {
        atMs = 0;
        if (!RedisNumber.TryParseInt64(text, out long value))
        {
            return Errors.NotInteger;
        }

        return value > 0 && TryToAbsolute(value, seconds, relative, nowMs, out atMs) ? null : Errors.InvalidExpireTime(command);
    }

    /// <summary>
    /// The EXPIRE-family rules (expireGenericCommand): any integer, zero and negative meaning
    /// "already expired", rejected only when the conversion overflows.
    /// </summary>
    public static ErrorReply? ForExpire(ReadOnlySpan<byte> text, bool seconds, bool relative, long nowMs, string command, out long atMs)
    {
        atMs = 0;
        if (!RedisNumber.TryParseInt64(text, out long value))
        {
            return Errors.NotInteger;
        }

        return TryToAbsolute(value, seconds, relative, nowMs, out atMs) ? null : Errors.InvalidExpireTime(command);
    }

    // Seconds to milliseconds, relative to absolute; false when either step overflows.
    private static bool TryToAbsolute(long value, bool seconds, bool relative, long nowMs, out long atMs)
    {
        atMs = 0;
        if (seconds)
        {
            if (value > long.MaxValue / 1000 || value < long.MinValue / 1000)
            {
                return false;
            }

            value *= 1000;
        }

        if (relative)
        {
            if (value > long.MaxValue - nowMs)
            {
                return false;
            }

            value += nowMs;
        }

        atMs = value;
        return true;
    }
}
