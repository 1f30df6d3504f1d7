using System.Text;
using System.Numerics;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Grains.Commands.Strings;
using OrleansRedis.Grains.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Commands.Bitmaps;

/// <summary>
/// The bit commands on one string key: SETBIT, GETBIT, BITCOUNT, BITPOS, BITFIELD and
/// BITFIELD_RO, as Redis 7.0's bitops.c answers them. A change is recorded as the SETRANGE of
/// the bytes it touched, not the whole value.
/// </summary>
internal static class BitmapCommands
{
    private static readonly ErrorReply BitOffsetOutOfRange = new("ERR bit offset is not an integer or out of range");
    private static readonly ErrorReply BitValueOutOfRange = new("ERR bit is not an integer or out of range");
    private static readonly ErrorReply BitArgument = new("ERR The bit argument must be 1 or 0.");
    private static readonly ErrorReply BadFieldType = new("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
    private static readonly ErrorReply BadOverflow = new("ERR Invalid OVERFLOW type specified");
    private static readonly ErrorReply ReadOnlyField = new("ERR BITFIELD_RO only supports the GET subcommand");

    public static Reply Execute(in KeyCommandContext ctx) => ctx.Command.Id switch
    {
        CommandId.SetBit => SetBit(ctx),
        CommandId.GetBit => GetBit(ctx),
        CommandId.BitCount => BitCount(ctx),
        CommandId.BitPos => BitPos(ctx),
        CommandId.BitField => BitField(ctx, readOnly: false),
        CommandId.BitFieldRo => BitField(ctx, readOnly: true),
        _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Command.Id, "not a bitmap command"),
    };

    private static bool IsOtherType(in KeyCommandContext ctx) => ctx.State.Exists && ctx.State.Type != ValueType.String;

    // As Redis's getBitOffsetFromArgument: a bit offset, "#n" meaning n fields of `bits` (BITFIELD), below 512 MB of bytes.
    private static bool TryParseBitOffset(byte[] text, int bits, out long offset)
    {
        bool fields = bits > 0 && text.Length > 0 && text[0] == (byte)'#';
        if (!RedisNumber.TryParseInt64(fields ? text.AsSpan(1) : text, out offset))
        {
            return false;
        }

        if (fields)
        {
            offset *= bits;
        }

        return offset >= 0 && (offset >> 3) < StringCommands.MaxStringLength;
    }

    private static Reply SetBit(in KeyCommandContext ctx)
    {
        if (!TryParseBitOffset(ctx.Args[1], 0, out long offset))
        {
            return BitOffsetOutOfRange;
        }

        if (!RedisNumber.TryParseInt64(ctx.Args[2], out long on) || (on & ~1L) != 0)
        {
            return BitValueOutOfRange;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        long byteIndex = offset >> 3;
        byte[] value = Grown(ctx.State.String ?? [], byteIndex + 1);
        int mask = 1 << (7 - (int)(offset & 7));
        bool was = (value[byteIndex] & mask) != 0;
        value[byteIndex] = (byte)(on == 1 ? value[byteIndex] | mask : value[byteIndex] & ~mask);
        Store(ctx.State, value, byteIndex, 1);
        return Reply.Integer(was ? 1 : 0);
    }

    private static Reply GetBit(in KeyCommandContext ctx)
    {
        if (!TryParseBitOffset(ctx.Args[1], 0, out long offset))
        {
            return BitOffsetOutOfRange;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] value = ctx.State.String ?? [];
        long byteIndex = offset >> 3;
        return Reply.Integer(byteIndex < value.Length && (value[byteIndex] & (1 << (7 - (int)(offset & 7)))) != 0 ? 1 : 0);
    }

    private static Reply BitCount(in KeyCommandContext ctx)
    {
        // Redis 7.0 looks the key up before it reads the range: a missing key counts 0 whatever follows.
        if (!ctx.State.Exists)
        {
            return Reply.Integer(0);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] value = ctx.State.String!;
        var args = ctx.Args;
        long first, last;
        if (args.Length is 3 or 4)
        {
            if (!RedisNumber.TryParseInt64(args[1], out long start) || !RedisNumber.TryParseInt64(args[2], out long end))
            {
                return Errors.NotInteger;
            }

            if (!TryReadUnit(args, 3, out bool inBits))
            {
                return Errors.Syntax;
            }

            if (!TryBitRange(value.Length, start, end, inBits, out first, out last))
            {
                return Reply.Integer(0);
            }
        }
        else if (args.Length == 1)
        {
            (first, last) = (0, (value.Length * 8L) - 1);
        }
        else
        {
            return Errors.Syntax;
        }

        long count = 0;
        for (long bit = first; bit <= last;)
        {
            // Whole bytes at once where the range covers them.
            if ((bit & 7) == 0 && bit + 7 <= last)
            {
                long bytes = (last - bit + 1) >> 3;
                foreach (byte b in value.AsSpan((int)(bit >> 3), (int)bytes))
                {
                    count += BitOperations.PopCount(b);
                }

                bit += bytes * 8;
            }
            else
            {
                count += BitAt(value, bit) ? 1 : 0;
                bit++;
            }
        }

        return Reply.Integer(count);
    }

    private static Reply BitPos(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        if (!RedisNumber.TryParseInt64(args[1], out long bit))
        {
            return Errors.NotInteger;
        }

        if (bit is not (0 or 1))
        {
            return BitArgument;
        }

        // A missing key is an endless run of zeros.
        if (!ctx.State.Exists)
        {
            return Reply.Integer(bit == 1 ? -1 : 0);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] value = ctx.State.String!;
        long first, last;
        bool endGiven = false;
        if (args.Length is 3 or 4 or 5)
        {
            if (!RedisNumber.TryParseInt64(args[2], out long start))
            {
                return Errors.NotInteger;
            }

            if (!TryReadUnit(args, 4, out bool inBits))
            {
                return Errors.Syntax;
            }

            long end;
            if (args.Length >= 4)
            {
                if (!RedisNumber.TryParseInt64(args[3], out end))
                {
                    return Errors.NotInteger;
                }

                endGiven = true;
            }
            else
            {
                end = inBits ? (value.Length * 8L) + 7 : value.Length - 1;
            }

            if (!TryBitRange(value.Length, start, end, inBits, out first, out last, emptyWhenBothNegative: false))
            {
                return Reply.Integer(-1);
            }
        }
        else if (args.Length == 2)
        {
            (first, last) = (0, (value.Length * 8L) - 1);
            if (last < 0)
            {
                return Reply.Integer(-1);
            }
        }
        else
        {
            return Errors.Syntax;
        }

        for (long position = first; position <= last; position++)
        {
            if (BitAt(value, position) == (bit == 1))
            {
                return Reply.Integer(position);
            }
        }

        // No clear bit in the range: past the end the string reads as zeros, unless the end was given.
        return Reply.Integer(bit == 0 && !endGiven ? last + 1 : -1);
    }

    // The optional BYTE|BIT unit at args[index]; false for anything else.
    private static bool TryReadUnit(byte[][] args, int index, out bool inBits)
    {
        inBits = false;
        if (args.Length <= index)
        {
            return true;
        }

        if (Ascii.EqualsIgnoreCase(args[index], "BIT"u8))
        {
            inBits = true;
            return true;
        }

        return Ascii.EqualsIgnoreCase(args[index], "BYTE"u8);
    }

    // Redis's range rules for BITCOUNT and BITPOS: negative indexes from the end, clamped to the
    // string, in bytes or bits; the bits covered, or false for an empty range.
    private static bool TryBitRange(long length, long start, long end, bool inBits, out long first, out long last, bool emptyWhenBothNegative = true)
    {
        first = last = 0;
        if (emptyWhenBothNegative && start < 0 && end < 0 && start > end)
        {
            return false;
        }

        long units = inBits ? length * 8 : length;
        if (start < 0)
        {
            start = units + start;
        }

        if (end < 0)
        {
            end = units + end;
        }

        start = Math.Max(0, start);
        end = Math.Max(0, end);
        end = Math.Min(end, units - 1);
        if (start > end)
        {
            return false;
        }

        (first, last) = inBits ? (start, end) : (start * 8, (end * 8) + 7);
        return true;
    }

    private static bool BitAt(byte[] value, long bit) =>
        (bit >> 3) < value.Length && (value[bit >> 3] & (1 << (7 - (int)(bit & 7)))) != 0;

    private static byte[] Grown(byte[] value, long length)
    {
        var grown = new byte[Math.Max(value.Length, length)];
        value.CopyTo(grown, 0);
        return grown;
    }

    // Makes value the key's string: a key that was a string records the SETRANGE of the bytes changed.
    private static void Store(KeyState state, byte[] value, long offset, int count) =>
        state.PatchString(value, [StringCommands.Names.SetRange, RedisNumber.Format(offset), value.AsSpan((int)offset, count).ToArray()]);

    private enum Overflow
    {
        Wrap,
        Saturate,
        Fail,
    }

    private enum FieldOp
    {
        Get,
        Set,
        IncrBy,
    }

    private readonly record struct Field(FieldOp Op, bool Signed, int Bits, long Offset, long Argument, Overflow Overflow);

    private static Reply BitField(in KeyCommandContext ctx, bool readOnly)
    {
        var args = ctx.Args;
        var fields = new List<Field>();
        var overflow = Overflow.Wrap;
        long highestWrite = -1;
        for (int i = 1; i < args.Length; i++)
        {
            int remaining = args.Length - i - 1;
            FieldOp op;
            if (Ascii.EqualsIgnoreCase(args[i], "GET"u8) && remaining >= 2)
            {
                op = FieldOp.Get;
            }
            else if (Ascii.EqualsIgnoreCase(args[i], "SET"u8) && remaining >= 3)
            {
                op = FieldOp.Set;
            }
            else if (Ascii.EqualsIgnoreCase(args[i], "INCRBY"u8) && remaining >= 3)
            {
                op = FieldOp.IncrBy;
            }
            else if (Ascii.EqualsIgnoreCase(args[i], "OVERFLOW"u8) && remaining >= 1)
            {
                i++;
                if (Ascii.EqualsIgnoreCase(args[i], "WRAP"u8))
                {
                    overflow = Overflow.Wrap;
                }
                else if (Ascii.EqualsIgnoreCase(args[i], "SAT"u8))
                {
                    overflow = Overflow.Saturate;
                }
                else if (Ascii.EqualsIgnoreCase(args[i], "FAIL"u8))
                {
                    overflow = Overflow.Fail;
                }
                else
                {
                    return BadOverflow;
                }

                continue;
            }
            else
            {
                return Errors.Syntax;
            }

            if (!TryParseFieldType(args[i + 1], out bool signed, out int bits))
            {
                return BadFieldType;
            }

            if (!TryParseBitOffset(args[i + 2], bits, out long offset))
            {
                return BitOffsetOutOfRange;
            }

            long argument = 0;
            if (op != FieldOp.Get)
            {
                highestWrite = Math.Max(highestWrite, offset + bits - 1);
                if (!RedisNumber.TryParseInt64(args[i + 3], out argument))
                {
                    return Errors.NotInteger;
                }
            }

            fields.Add(new Field(op, signed, bits, offset, argument, overflow));
            i += op == FieldOp.Get ? 2 : 3;
        }

        if (highestWrite < 0)
        {
            if (IsOtherType(ctx))
            {
                return Errors.WrongType;
            }

            byte[] current = ctx.State.String ?? [];
            return new ArrayReply(fields.Select(f => (Reply)Reply.Integer(Read(current, f.Offset, f.Bits, f.Signed))).ToArray());
        }

        if (readOnly)
        {
            return ReadOnlyField;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] before = ctx.State.String ?? [];
        byte[] value = Grown(before, (highestWrite >> 3) + 1);
        var replies = new Reply[fields.Count];
        long low = long.MaxValue, high = -1;
        for (int i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            long old = Read(value, f.Offset, f.Bits, f.Signed);
            if (f.Op == FieldOp.Get)
            {
                replies[i] = Reply.Integer(old);
                continue;
            }

            bool overflowed = f.Signed
                ? SignedOverflow(f.Op == FieldOp.Set ? f.Argument : old, f.Op == FieldOp.Set ? 0 : f.Argument, f.Bits, f.Overflow, out long result)
                : UnsignedOverflow(f.Op == FieldOp.Set ? (ulong)f.Argument : (ulong)old, f.Op == FieldOp.Set ? 0 : f.Argument, f.Bits, f.Overflow, out result);
            if (!overflowed)
            {
                result = f.Op == FieldOp.Set ? f.Argument : unchecked(old + f.Argument);
            }

            if (overflowed && f.Overflow == Overflow.Fail)
            {
                replies[i] = Reply.NullBulk;
                continue;
            }

            Write(value, f.Offset, f.Bits, (ulong)result);
            low = Math.Min(low, f.Offset >> 3);
            high = Math.Max(high, (f.Offset + f.Bits - 1) >> 3);
            replies[i] = Reply.Integer(f.Op == FieldOp.Set ? old : result);
        }

        // As Redis, the string was grown to the farthest bit written even where an overflow failed the write.
        if (value.Length > before.Length)
        {
            (low, high) = (Math.Min(low, before.Length), value.Length - 1);
        }

        if (high >= 0)
        {
            Store(ctx.State, value, low, (int)(high - low + 1));
        }

        return new ArrayReply(replies);
    }

    // As Redis's getBitfieldTypeFromArgument: i1..i64 or u1..u63.
    private static bool TryParseFieldType(byte[] text, out bool signed, out int bits)
    {
        signed = text.Length > 0 && text[0] == (byte)'i';
        bits = 0;
        if (text.Length < 2 || (text[0] != (byte)'i' && text[0] != (byte)'u') || !RedisNumber.TryParseInt64(text.AsSpan(1), out long count))
        {
            return false;
        }

        if (count < 1 || count > (signed ? 64 : 63))
        {
            return false;
        }

        bits = (int)count;
        return true;
    }

    // The field of `bits` bits from bit `offset`, most significant first; past the string it reads zeros.
    private static long Read(byte[] value, long offset, int bits, bool signed)
    {
        ulong field = 0;
        for (int j = 0; j < bits; j++)
        {
            field = (field << 1) | (BitAt(value, offset + j) ? 1UL : 0);
        }

        if (signed && bits < 64 && (field & (1UL << (bits - 1))) != 0)
        {
            field |= ulong.MaxValue << bits;
        }

        return (long)field;
    }

    private static void Write(byte[] value, long offset, int bits, ulong field)
    {
        for (int j = 0; j < bits; j++)
        {
            long bit = offset + j;
            int mask = 1 << (7 - (int)(bit & 7));
            bool on = ((field >> (bits - 1 - j)) & 1) != 0;
            value[bit >> 3] = (byte)(on ? value[bit >> 3] | mask : value[bit >> 3] & ~mask);
        }
    }

    // Redis's checkUnsignedBitfieldOverflow: whether value + increment leaves u<bits>, and what wraps or saturates to.
    private static bool UnsignedOverflow(ulong value, long increment, int bits, Overflow overflow, out long limit)
    {
        ulong max = (1UL << bits) - 1;
        long maxIncrement = unchecked((long)(max - value));
        long minIncrement = unchecked(-(long)value);
        limit = 0;
        bool above = value > max || (increment > 0 && increment > maxIncrement);
        bool below = !above && increment < 0 && increment < minIncrement;
        if (!above && !below)
        {
            return false;
        }

        limit = overflow switch
        {
            Overflow.Wrap => (long)(unchecked(value + (ulong)increment) & max),
            Overflow.Saturate => above ? (long)max : 0,
            _ => 0,
        };
        return true;
    }

    // Redis's checkSignedBitfieldOverflow.
    private static bool SignedOverflow(long value, long increment, int bits, Overflow overflow, out long limit)
    {
        long max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = unchecked(max - value);
        long minIncrement = unchecked(min - value);
        limit = 0;
        bool above = value > max || (bits != 64 && increment > maxIncrement) || (value >= 0 && increment > 0 && increment > maxIncrement);
        bool below = !above && (value < min || (bits != 64 && increment < minIncrement) || (value < 0 && increment < 0 && increment < minIncrement));
        if (!above && !below)
        {
            return false;
        }

        if (overflow == Overflow.Wrap)
        {
            ulong sum = unchecked((ulong)value + (ulong)increment);
            if (bits < 64)
            {
                ulong mask = ulong.MaxValue << bits;
                sum = (sum & (1UL << (bits - 1))) != 0 ? sum | mask : sum & ~mask;
            }

            limit = (long)sum;
        }
        else if (overflow == Overflow.Saturate)
        {
            limit = above ? max : min;
        }

        return true;
    }
}
