namespace OrleansRedis.Abstractions.Text;

/// <summary>
/// Redis's glob-style matching (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET): <c>*</c>, <c>?</c>,
/// <c>[abc]</c>, <c>[^a-z]</c> and <c>\</c> escapes, on bytes.
/// </summary>
public static class Glob
{
    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false)
    {
        // Fast paths for the patterns clients send most.
        if (pattern.Length == 1 && pattern[0] == (byte)'*')
        {
            return true;
        }

        bool skipLongerMatches = false;
        return Match(pattern, text, ignoreCase, nesting: 0, ref skipLongerMatches);
    }

    // skipLongerMatches is Redis's guard against patterns such as a*a*a*…b, whose backtracking
    // would take exponential time: once the rest of the pattern after a '*' matches no suffix of
    // the text, no earlier '*' can help by matching more, so every caller gives up at once.
    private static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase, int nesting, ref bool skipLongerMatches)
    {
        // Like Redis, bound the recursion that runs of '*' can cause.
        if (nesting > 1000)
        {
            return false;
        }

        int p = 0, t = 0;
        while (p < pattern.Length && (t < text.Length || pattern[p] == (byte)'*'))
        {
            switch (pattern[p])
            {
                case (byte)'*':
                    while (p + 1 < pattern.Length && pattern[p + 1] == (byte)'*')
                    {
                        p++;
                    }

                    if (p + 1 == pattern.Length)
                    {
                        return true;
                    }

                    for (int start = t; start <= text.Length; start++)
                    {
                        if (Match(pattern[(p + 1)..], text[start..], ignoreCase, nesting + 1, ref skipLongerMatches))
                        {
                            return true;
                        }

                        if (skipLongerMatches)
                        {
                            return false;
                        }
                    }

                    skipLongerMatches = true;
                    return false;
                case (byte)'?':
                    t++;
                    break;
                case (byte)'[':
                    if (!MatchClass(pattern, ref p, text[t], ignoreCase))
                    {
                        return false;
                    }

                    t++;
                    break;
                case (byte)'\\':
                    if (p + 1 < pattern.Length)
                    {
                        p++;
                    }

                    if (!SameByte(pattern[p], text[t], ignoreCase))
                    {
                        return false;
                    }

                    t++;
                    break;
                default:
                    if (!SameByte(pattern[p], text[t], ignoreCase))
                    {
                        return false;
                    }

                    t++;
                    break;
            }

            p++;
        }

        return p == pattern.Length && t == text.Length;
    }

    // On entry pattern[p] is '['; on exit p is at the closing ']' (or the pattern's last byte).
    private static bool MatchClass(ReadOnlySpan<byte> pattern, ref int p, byte c, bool ignoreCase)
    {
        p++;
        bool negate = p < pattern.Length && pattern[p] == (byte)'^';
        if (negate)
        {
            p++;
        }

        bool matched = false;
        while (p < pattern.Length)
        {
            if (pattern[p] == (byte)'\\' && p + 1 < pattern.Length)
            {
                p++;
                matched |= SameByte(pattern[p], c, ignoreCase);
            }
            else if (pattern[p] == (byte)']')
            {
                break;
            }
            else if (p + 2 < pattern.Length && pattern[p + 1] == (byte)'-')
            {
                int low = pattern[p], high = pattern[p + 2], value = c;
                if (low > high)
                {
                    (low, high) = (high, low);
                }

                if (ignoreCase)
                {
                    low = ToLower((byte)low);
                    high = ToLower((byte)high);
                    value = ToLower(c);
                }

                p += 2;
                matched |= value >= low && value <= high;
            }
            else
            {
                matched |= SameByte(pattern[p], c, ignoreCase);
            }

            p++;
        }

        if (p >= pattern.Length)
        {
            // Unterminated class: Redis treats the end of the pattern as its end.
            p = pattern.Length - 1;
        }

        return matched != negate;
    }

    private static bool SameByte(byte a, byte b, bool ignoreCase) =>
        a == b || (ignoreCase && ToLower(a) == ToLower(b));

    private static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
}
