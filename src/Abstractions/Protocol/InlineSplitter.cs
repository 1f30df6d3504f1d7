using System.Buffers;

namespace OrleansRedis.Abstractions.Protocol;

/// <summary>Splits an inline command line into arguments with Redis's rules (sdssplitargs).</summary>
public static class InlineSplitter
{
    /// <summary>Adds the words of <paramref name="line"/> to <paramref name="args"/>; false on unbalanced quotes.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, RequestArgs args)
    {
        int i = 0;
        var word = new List<byte>();
        while (true)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                return true;
            }

            word.Clear();
            bool inDouble = false, inSingle = false, done = false;
            while (!done)
            {
                if (inDouble)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    byte c = line[i];
                    if (c == (byte)'\\' && i + 3 < line.Length && line[i + 1] == (byte)'x' && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                    {
                        word.Add((byte)((HexValue(line[i + 2]) << 4) | HexValue(line[i + 3])));
                        i += 3;
                    }
                    else if (c == (byte)'\\' && i + 1 < line.Length)
                    {
                        i++;
                        word.Add(line[i] switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        });
                    }
                    else if (c == (byte)'"')
                    {
                        if (!ClosesWord(line, i))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else
                    {
                        word.Add(c);
                    }
                }
                else if (inSingle)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    byte c = line[i];
                    if (c == (byte)'\\' && i + 1 < line.Length && line[i + 1] == (byte)'\'')
                    {
                        i++;
                        word.Add((byte)'\'');
                    }
                    else if (c == (byte)'\'')
                    {
                        if (!ClosesWord(line, i))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else
                    {
                        word.Add(c);
                    }
                }
                else if (i >= line.Length)
                {
                    done = true;
                }
                else
                {
                    byte c = line[i];
                    if (IsSpace(c))
                    {
                        done = true;
                    }
                    else if (c == (byte)'"')
                    {
                        inDouble = true;
                    }
                    else if (c == (byte)'\'')
                    {
                        inSingle = true;
                    }
                    else
                    {
                        word.Add(c);
                    }
                }

                if (i < line.Length)
                {
                    i++;
                }
            }

            args.Add(new ReadOnlySequence<byte>(word.ToArray()));
        }
    }

    // A closing quote must be followed by a space or the end of the line.
    private static bool ClosesWord(ReadOnlySpan<byte> line, int quote) => quote + 1 >= line.Length || IsSpace(line[quote + 1]);

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\v' or (byte)'\f' or 0;

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
