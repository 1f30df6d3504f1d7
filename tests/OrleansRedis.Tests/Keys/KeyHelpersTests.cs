using System.Text;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Text;
using Xunit;

namespace OrleansRedis.Tests.Keys;

public sealed class KeyHelpersTests
{
    [Theory]
    [InlineData("123456789", 12739)]
    [InlineData("somekey", 11058)]
    [InlineData("", 0)]
    [InlineData("foo", 12182)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("foo{}{bar}", 8363)]
    [InlineData("foo{{bar}}zap", 4015)]
    [InlineData("foo{bar}{zap}", 5061)]
    public void SlotsAreRedisClusterSlots(string key, int slot) => Assert.Equal(slot, HashSlot.Of(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void KeysWithATagShareTheTagsSlot() =>
        Assert.Equal(HashSlot.Of("user1000"u8), HashSlot.Of("{user1000}:profile"u8));

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("*a*b*c*", "xaxbxcx", true)]
    [InlineData("a*", "", false)]
    [InlineData("", "", true)]
    public void GlobMatchesAsRedis(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Glob.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void KeyAddressesRoundTripBinaryKeys()
    {
        byte[] key = [0, 0xff, (byte)':', 0x80];
        var address = KeyAddress.Encode(12, key);
        Assert.Equal(12, KeyAddress.Decode(address, out var decoded));
        Assert.Equal(key, decoded.ToArray());
    }
}
