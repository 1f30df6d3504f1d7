using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Dispatch;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Resp.Commands.Bitmaps;

/// <summary>
/// The bitmap commands. Those on one key run whole in its grain (see the Grains project's
/// <c>Commands/Bitmaps</c>); BITOP reads its source strings at once, computes the result here
/// and writes it to the destination's grain (docs/compatibility.md says what is atomic).
/// </summary>
public static class BitmapBindings
{
    private static readonly ErrorReply NotWithOneSource = new("ERR BITOP NOT must be called with a single source key.");

    private enum Operation
    {
        And,
        Or,
        Xor,
        Not,
    }

    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        KeyRouting.Bind("setbit", CommandId.SetBit),
        KeyRouting.Bind("getbit", CommandId.GetBit),
        KeyRouting.Bind("bitcount", CommandId.BitCount),
        KeyRouting.Bind("bitpos", CommandId.BitPos),
        KeyRouting.Bind("bitfield", CommandId.BitField),
        KeyRouting.Bind("bitfield_ro", CommandId.BitFieldRo),
        new("bitop", CommandId.BitOp, BitOp),
    ];

    private static async ValueTask<Reply> BitOp(CommandContext ctx)
    {
        Operation? operation = ctx.Args.Is(1, "AND"u8) ? Operation.And : ctx.Args.Is(1, "OR"u8) ? Operation.Or
            : ctx.Args.Is(1, "XOR"u8) ? Operation.Xor : ctx.Args.Is(1, "NOT"u8) ? Operation.Not : null;
        if (operation is null)
        {
            return Errors.Syntax;
        }

        if (operation == Operation.Not && ctx.Args.Count != 4)
        {
            return NotWithOneSource;
        }

        byte[] destination = ctx.Args.ToArray(2);
        var keys = ctx.Args.ToArrays(3);
        KeyRouting.RefuseIfAnyUnserved(ctx, [destination, .. keys]);
        var replies = await KeyRouting.OnEachKey(ctx, CommandId.Get, keys);
        if (replies.OfType<ErrorReply>().FirstOrDefault() is { } error)
        {
            return error;
        }

        // A missing key is an empty string; shorter strings read as zeros past their end.
        var sources = replies.Select(reply => reply is BulkReply bulk ? bulk.Value : []).ToArray();
        int length = sources.Max(source => source.Length);
        if (length == 0)
        {
            await ResultStore.Delete(ctx, destination);
            return Reply.Integer(0);
        }

        var result = new byte[length];
        for (int i = 0; i < length; i++)
        {
            int output = i < sources[0].Length ? sources[0][i] : 0;
            for (int k = 1; k < sources.Length; k++)
            {
                int next = i < sources[k].Length ? sources[k][i] : 0;
                output = operation switch
                {
                    Operation.And => output & next,
                    Operation.Or => output | next,
                    _ => output ^ next,
                };
            }

            result[i] = (byte)(operation == Operation.Not ? ~output : output);
        }

        var value = new KeySnapshot(ValueType.String, result, null, 0) { StringOrigin = StringOrigin.InPlace };
        await ResultStore.Replace(ctx, destination, value, KeyspaceEventFlags.String, "set");
        return Reply.Integer(length);
    }
}
