using System.Buffers.Text;
using System.Text;

namespace OrleansRedis.Abstractions.Keys;

/// <summary>
/// Encodes a (database, key) pair as the bytes of a key grain's identity: the database
/// number in ASCII, a colon, then the key's raw bytes. Keys are binary safe, so the grain
/// identity carries bytes, not text.
/// </summary>
public static class KeyAddress
{
    /// <summary>Builds the grain key for <paramref name="key"/> in database <paramref name="db"/>.</summary>
    public static byte[] Encode(int db, ReadOnlySpan<byte> key)
    {
        Span<byte> prefix = stackalloc byte[12];
        Utf8Formatter.TryFormat(db, prefix, out int written);
        var bytes = new byte[written + 1 + key.Length];
        prefix[..written].CopyTo(bytes);
        bytes[written] = (byte)':';
        key.CopyTo(bytes.AsSpan(written + 1));
        return bytes;
    }

    /// <summary>Splits a grain key into its database and the key's bytes.</summary>
    public static int Decode(ReadOnlySpan<byte> address, out ReadOnlySpan<byte> key)
    {
        int colon = address.IndexOf((byte)':');
        if (colon <= 0 || !Utf8Parser.TryParse(address[..colon], out int db, out int used) || used != colon)
        {
            throw new FormatException($"Not a key address: {Encoding.UTF8.GetString(address)}");
        }

        key = address[(colon + 1)..];
        return db;
    }
}
