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

        if (value <= 0 || (seconds && value > long.MaxValue / 1000))
        {
            return Errors.InvalidExpireTime(command);
        }

        if (seconds)
        {
            value *= 1000;
        }

        if (relative)
        {
            if (value > long.MaxValue - nowMs)
            {
                return Errors.InvalidExpireTime(command);
            }

            value += nowMs;
        }

        atMs = value;
        return null;
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

        if (seconds)
        {
            if (value > long.MaxValue / 1000 || value < long.MinValue / 1000)
            {
                return Errors.InvalidExpireTime(command);
            }

            value *= 1000;
        }

        if (relative)
        {
            if (value > long.MaxValue - nowMs)
            {
                return Errors.InvalidExpireTime(command);
            }

            value += nowMs;
        }

        atMs = value;
        return null;
    }
}
