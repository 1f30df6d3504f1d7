using System.Buffers;
using OrleansRedis.Abstractions.Text;

namespace OrleansRedis.Abstractions.Protocol;

/// <summary>What <see cref="RequestParser.TryParse"/> found.</summary>
public enum ParseStatus
{
    /// <summary>A whole request is in the arguments.</summary>
    Complete,

    /// <summary>The buffer ends inside a request; read more and parse again from the same place.</summary>
    Incomplete,

    /// <summary>The input broke the protocol; reply with the error and close the connection.</summary>
    Error,
}

/// <summary>
/// Parses client requests as Redis does: RESP arrays of bulk strings, and inline commands
/// (a line of space-separated words, with Redis's quoting) for people typing into telnet.
/// Works on a <see cref="ReadOnlySequence{T}"/>, so a request may be split at any byte.
/// </summary>
public static class RequestParser
{
    /// <summary>Longest inline request, and longest length line, as Redis's PROTO_INLINE_MAX_SIZE.</summary>
    public const int MaxInlineLength = 64 * 1024;

    /// <summary>Largest bulk argument a client that has not authenticated may send.</summary>
    public const int UnauthenticatedMaxBulk = 16 * 1024;

    /// <summary>Most arguments a client that has not authenticated may send.</summary>
    public const int UnauthenticatedMaxArgs = 10;

    /// <summary>
    /// Parses one request from <paramref name="reader"/>. On <see cref="ParseStatus.Complete"/>
    /// the reader is past the request and <paramref name="args"/> holds it (possibly empty:
    /// an empty line or <c>*0</c>, which get no reply). On Incomplete the reader has not moved.
    /// On Error, <paramref name="error"/> is Redis's text for it.
    /// </summary>
    public static ParseStatus TryParse(ref SequenceReader<byte> reader, RequestArgs args, bool authenticated, long maxBulkLength, out string? error) =>
        TryParse(ref reader, args, authenticated, maxBulkLength, strict: false, out error);

    /// <summary>
    /// As <see cref="TryParse(ref SequenceReader{byte}, RequestArgs, bool, long, out string?)"/>;
    /// with <paramref name="strict"/> (files, not clients) every bulk must be followed by exactly
    /// CRLF, so a declared length that is off by any amount is an error, not a shifted value.
    /// </summary>
    public static ParseStatus TryParse(ref SequenceReader<byte> reader, RequestArgs args, bool authenticated, long maxBulkLength, bool strict, out string? error)
    {
        error = null;
        args.Clear();
        if (reader.End)
        {
            return ParseStatus.Incomplete;
        }

        var start = reader;
        var status = reader.IsNext((byte)'*')
            ? ParseMultiBulk(ref reader, args, authenticated, maxBulkLength, strict, out error)
            : ParseInline(ref reader, args, out error);
        if (status == ParseStatus.Incomplete)
        {
            reader = start;
            args.Clear();
        }

        return status;
    }

    private static ParseStatus ParseMultiBulk(ref SequenceReader<byte> reader, RequestArgs args, bool authenticated, long maxBulkLength, bool strict, out string? error)
    {
        error = null;
        reader.Advance(1);
        var lineStatus = ReadLengthLine(ref reader, "too big mbulk count string", out long count, out bool valid, out error);
        if (lineStatus != ParseStatus.Complete)
        {
            return lineStatus;
        }

        if (!valid || count > int.MaxValue)
        {
            error = "invalid multibulk length";
            return ParseStatus.Error;
        }

        if (count <= 0)
        {
            return ParseStatus.Complete;
        }

        if (!authenticated && count > UnauthenticatedMaxArgs)
        {
            error = "unauthenticated multibulk length";
            return ParseStatus.Error;
        }

        for (long i = 0; i < count; i++)
        {
            if (!reader.TryPeek(out byte kind))
            {
                return ParseStatus.Incomplete;
            }

            if (kind != (byte)'$')
            {
                error = $"expected '$', got '{(char)kind}'";
                return ParseStatus.Error;
            }

            reader.Advance(1);
            lineStatus = ReadLengthLine(ref reader, "too big bulk count string", out long length, out valid, out error);
            if (lineStatus != ParseStatus.Complete)
            {
                return lineStatus;
            }

            if (!valid || length < 0 || length > maxBulkLength)
            {
                error = "invalid bulk length";
                return ParseStatus.Error;
            }

            if (!authenticated && length > UnauthenticatedMaxBulk)
            {
                error = "unauthenticated bulk length";
                return ParseStatus.Error;
            }

            // The payload and its CRLF; like Redis, the two bytes after the payload are not checked.
            if (reader.Remaining < length + 2)
            {
                return ParseStatus.Incomplete;
            }

            args.Add(reader.UnreadSequence.Slice(0, length));
            reader.Advance(length);
            if (strict && !(reader.IsNext((byte)'\r', advancePast: true) && reader.IsNext((byte)'\n', advancePast: true)))
            {
                error = $"bulk of {length} bytes not followed by CRLF";
                return ParseStatus.Error;
            }

            if (!strict)
            {
                reader.Advance(2);
            }
        }

        return ParseStatus.Complete;
    }

    // Reads the digits after '*' or '$' up to "\r\n".
    private static ParseStatus ReadLengthLine(ref SequenceReader<byte> reader, string tooBig, out long value, out bool valid, out string? error)
    {
        value = 0;
        valid = false;
        error = null;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\r', advancePastDelimiter: false))
        {
            if (reader.Remaining > MaxInlineLength)
            {
                error = tooBig;
                return ParseStatus.Error;
            }

            return ParseStatus.Incomplete;
        }

        if (line.Length > MaxInlineLength)
        {
            error = tooBig;
            return ParseStatus.Error;
        }

        // The '\r' must be followed by '\n' before the line counts as complete.
        if (reader.Remaining < 2)
        {
            return ParseStatus.Incomplete;
        }

        reader.Advance(2);
        Span<byte> digits = stackalloc byte[(int)Math.Min(line.Length, 32)];
        valid = line.Length <= 32 && TryCopy(line, digits) && RedisNumber.TryParseInt64(digits, out value);
        return ParseStatus.Complete;
    }

    private static bool TryCopy(ReadOnlySequence<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return true;
    }

    private static ParseStatus ParseInline(ref SequenceReader<byte> reader, RequestArgs args, out string? error)
    {
        error = null;

        // Redis finds the end of an inline line with strchr, which stops at a NUL byte: a line
        // with a NUL before its newline never ends, and waits for the inline limit like a long one.
        var lineStart = reader;
        bool ended = reader.TryReadToAny(out ReadOnlySequence<byte> line, "\n\0"u8, advancePastDelimiter: false)
            && reader.TryPeek(out byte delimiter) && delimiter == (byte)'\n';
        if (ended)
        {
            reader.Advance(1);
        }
        else
        {
            reader = lineStart;
        }

        if (!ended)
        {
            if (reader.Remaining > MaxInlineLength)
            {
                error = "too big inline request";
                return ParseStatus.Error;
            }

            return ParseStatus.Incomplete;
        }

        if (line.Length > MaxInlineLength)
        {
            error = "too big inline request";
            return ParseStatus.Error;
        }

        var text = line.ToArray().AsSpan();
        if (text.Length > 0 && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }

        if (!InlineSplitter.TrySplit(text, args))
        {
            error = "unbalanced quotes in request";
            return ParseStatus.Error;
        }

        return ParseStatus.Complete;
    }
}
