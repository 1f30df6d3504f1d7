using System.Text;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;

namespace OrleansRedis.Grains.Commands;

/// <summary>
/// The cursor, MATCH and COUNT of HSCAN, SSCAN and ZSCAN (<c>key cursor [MATCH p] [COUNT n]</c>),
/// with Redis's errors; the caller checks the key's type between the cursor and the options, as
/// Redis does.
/// </summary>
internal readonly record struct ScanArguments(ulong Cursor, byte[]? Pattern, int Count)
{
    /// <summary>Reads the cursor (args[1]); null, or INVALID CURSOR's error.</summary>
    public static ErrorReply? TryReadCursor(byte[][] args, out ulong cursor) =>
        RedisNumber.TryParseUInt64(args[1], out cursor) ? null : Errors.InvalidCursor;

    /// <summary>Reads MATCH and COUNT (from args[2]); null, or the error Redis gives.</summary>
    public static ErrorReply? TryReadOptions(byte[][] args, ulong cursor, out ScanArguments scan)
    {
        scan = new ScanArguments(cursor, null, 10);
        for (int i = 2; i < args.Length; i++)
        {
            bool hasValue = i + 1 < args.Length;
            if (hasValue && Ascii.EqualsIgnoreCase(args[i], "COUNT"u8))
            {
                if (!RedisNumber.TryParseInt64(args[++i], out long count))
                {
                    return Errors.NotInteger;
                }

                if (count < 1)
                {
                    return Errors.Syntax;
                }

                scan = scan with { Count = (int)Math.Min(count, int.MaxValue) };
            }
            else if (hasValue && Ascii.EqualsIgnoreCase(args[i], "MATCH"u8))
            {
                scan = scan with { Pattern = args[++i] };
            }
            else
            {
                return Errors.Syntax;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="item"/> passes MATCH.</summary>
    public bool Matches(byte[] item) => Pattern is null || Glob.IsMatch(Pattern, item);
}
