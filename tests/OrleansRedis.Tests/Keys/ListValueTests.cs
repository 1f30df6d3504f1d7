using OrleansRedis.Grains.Keys;
using Xunit;

namespace OrleansRedis.Tests.Keys;

/// <summary>
/// The chunked list against a plain list, under random pushes and pops at both ends, sets,
/// inserts, trims and removals, with elements from empty to larger than a chunk (so that chunks
/// fill, split, empty and hold a single large element), and what it says it occupies.
/// </summary>
public sealed class ListValueTests
{
    [Fact]
    public void EveryOperationAgreesWithAPlainListThroughRandomChanges()
    {
        var random = new Random(11);
        var list = new ListValue();
        var reference = new List<byte[]>();
        for (int step = 0; step < 40_000; step++)
        {
            int choice = random.Next(100);
            if (choice < 30 || reference.Count == 0)
            {
                var value = Element(random);
                bool head = random.Next(2) == 0;
                if (head)
                {
                    list.PushHead(value);
                    reference.Insert(0, value);
                }
                else
                {
                    list.PushTail(value);
                    reference.Add(value);
                }
            }
            else if (choice < 55)
            {
                if (random.Next(2) == 0)
                {
                    Assert.Equal(reference[0], list.PopHead());
                    reference.RemoveAt(0);
                }
                else
                {
                    Assert.Equal(reference[^1], list.PopTail());
                    reference.RemoveAt(reference.Count - 1);
                }
            }
            else if (choice < 70)
            {
                int at = random.Next(reference.Count);
                Assert.Equal(reference[at], list[at]);
            }
            else if (choice < 78)
            {
                int at = random.Next(reference.Count);
                var value = Element(random);
                list[at] = value;
                reference[at] = value;
            }
            else if (choice < 86)
            {
                int at = random.Next(reference.Count + 1);
                var value = Element(random);
                list.Insert(at, value);
                reference.Insert(at, value);
            }
            else if (choice < 88)
            {
                int start = random.Next(reference.Count);
                int stop = random.Next(start - 1, reference.Count);
                list.Trim(start, stop);
                reference = stop < start ? [] : reference.GetRange(start, stop - start + 1);
            }
            else if (choice < 90)
            {
                var indexes = Enumerable.Range(0, reference.Count).Where(_ => random.Next(10) == 0).ToList();
                list.RemoveAt(indexes);
                foreach (int at in Enumerable.Reverse(indexes))
                {
                    reference.RemoveAt(at);
                }
            }
            else
            {
                int start = random.Next(reference.Count);
                int stop = random.Next(start, reference.Count);
                Assert.Equal(reference.GetRange(start, stop - start + 1), list.Range(start, stop));
                var packed = list.PackRange(start, stop)!;
                Assert.Equal(reference.GetRange(start, stop - start + 1), Enumerable.Range(0, packed.Ends.Length).Select(i => packed[i].ToArray()));
            }

            Assert.Equal(reference.Count, list.Count);
            if (step % 1000 == 0)
            {
                Assert.Equal(reference, list.ToList());
                Assert.Equal(Enumerable.Reverse(reference), list.Elements(fromTail: true).Select(e => e.ToArray()));
                Assert.Equal(reference.Sum(e => (long)e.Length), list.Bytes);
            }
        }
    }

    [Fact]
    public void AMillionSmallElementsTakeLittleMoreThanTheirBytesAndComeBackInOrder()
    {
        var list = new ListValue();
        for (int i = 0; i < 1_000_000; i++)
        {
            list.PushTail(System.Text.Encoding.ASCII.GetBytes($"element:{i:D7}"));
        }

        // 15 bytes each plus two of length: 17 MB packed; the chunks' free room and objects add little.
        Assert.InRange(list.MemoryBytes, 17_000_000, 18_500_000);
        int n = 0;
        foreach (var element in list.Elements())
        {
            Assert.Equal($"element:{n++:D7}", System.Text.Encoding.ASCII.GetString(element.Span));
        }

        Assert.Equal("element:0500000", System.Text.Encoding.ASCII.GetString(list[500_000]));
        for (int i = 0; i < 1_000_000; i++)
        {
            list.PopHead();
        }

        Assert.Equal(0, list.MemoryBytes);
    }

    // Mostly short elements, some around a chunk's size and a few larger than one.
    private static byte[] Element(Random random)
    {
        int length = random.Next(100) switch
        {
            < 80 => random.Next(0, 40),
            < 97 => random.Next(100, 300),
            _ => random.Next(ListValue.ChunkLimit - 100, ListValue.ChunkLimit * 2),
        };
        var value = new byte[length];
        random.NextBytes(value);
        return value;
    }
}
