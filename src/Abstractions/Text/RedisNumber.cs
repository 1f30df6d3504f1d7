using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OrleansRedis.Abstractions.Text;

/// <summary>Number parsing and formatting with Redis's rules (string2ll, string2ld, ld2string).</summary>
public static class RedisNumber
{
    /// <summary>
    /// Parses a 64-bit integer the way Redis's string2ll does: optional '-', no '+', no
    /// spaces, no leading zeros, at most 20 bytes.
    /// </summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 20)
        {
            return false;
        }

        if (text.Length == 1 && text[0] == (byte)'0')
        {
            return true;
        }

        int start = text[0] == (byte)'-' ? 1 : 0;
        if (start == text.Length || text[start] < (byte)'1' || text[start] > (byte)'9')
        {
            return false;
        }

        return Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length;
    }

    /// <summary>Parses an unsigned 64-bit integer (a SCAN cursor): digits only.</summary>
    public static bool TryParseUInt64(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        foreach (byte b in text)
        {
            if (b < (byte)'0' || b > (byte)'9')
            {
                return false;
            }
        }

        return text.Length > 0 && Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length;
    }

    /// <summary>
    /// Parses a float as Redis's string2ld does: no surrounding spaces, not NaN; "inf",
    /// "-inf" and exponents are accepted.
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        // .NET's parser ignores trailing NUL characters; strtold stops at the first, which Redis
        // then finds short of the string's end.
        if (text.Length == 0 || text.Length > 5120 || IsSpace(text[0]) || IsSpace(text[^1]) || text.Contains((byte)0))
        {
            return false;
        }

        if (TryParseInfinity(text, out value))
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        // A number too large for the type is invalid, as strtold's ERANGE is in Redis (only "inf" spelled out is infinite).
        return double.IsFinite(value);
    }

    /// <summary>A double as Redis 7.0 prints it (%.17g; inf, -inf, nan): scores, and every double reply.</summary>
    public static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        double.NaN => "nan",
        _ => value.ToString("G17", CultureInfo.InvariantCulture).Replace("E+", "e+").Replace("E-", "e-"),
    };

    /// <summary>
    /// Adds <paramref name="increment"/> to the float in <paramref name="current"/> and formats
    /// the result as INCRBYFLOAT does (up to 17 decimals, trailing zeros dropped). Decimal
    /// arithmetic is used where it is exact, which gives the results Redis's long double gives
    /// for human-sized numbers (0.1 + 0.2 = 0.3); beyond decimal's range a double is used.
    /// Returns null when the result is NaN or infinite.
    /// </summary>
    public static byte[]? AddFloats(ReadOnlySpan<byte> current, ReadOnlySpan<byte> increment, double currentValue, double incrementValue)
    {
        if (TryParseDecimal(current, out decimal a) && TryParseDecimal(increment, out decimal b))
        {
            try
            {
                decimal sum = Math.Round(a + b, 17, MidpointRounding.ToEven);
                return Encoding.ASCII.GetBytes(TrimFraction(sum.ToString("F17", CultureInfo.InvariantCulture)));
            }
            catch (OverflowException)
            {
                // Outside decimal's range: fall through to double.
            }
        }

        double result = currentValue + incrementValue;
        if (double.IsNaN(result) || double.IsInfinity(result))
        {
            return null;
        }

        return Encoding.ASCII.GetBytes(TrimFraction(result.ToString("F17", CultureInfo.InvariantCulture)));
    }

    /// <summary>Adds two 64-bit integers; false when the sum overflows (Redis's INCR/HINCRBY check).</summary>
    public static bool TryAdd(long current, long increment, out long sum)
    {
        sum = 0;
        if ((increment < 0 && current < 0 && increment < long.MinValue - current)
            || (increment > 0 && current > 0 && increment > long.MaxValue - current))
        {
            return false;
        }

        sum = current + increment;
        return true;
    }

    /// <summary>The ASCII bytes of a 64-bit integer.</summary>
    public static byte[] Format(long value)
    {
        Span<byte> buffer = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, buffer, out int written);
        return buffer[..written].ToArray();
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        return text.Length <= 64
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseInfinity(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        bool negative = text[0] == (byte)'-';
        var body = text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(body, "inf"u8) || Ascii.EqualsIgnoreCase(body, "infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return false;
    }

    private static string TrimFraction(string text)
    {
        if (text.Contains('.'))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text == "-0" ? "0" : text;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
