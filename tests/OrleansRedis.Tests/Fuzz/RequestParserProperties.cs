using System.Buffers;
using CsCheck;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Fuzz;

/// <summary>
/// Property-based tests of the RESP request reader (CsCheck, a bounded number of generated
/// cases per run, shrunk to a minimal example on failure).
/// </summary>
public sealed class RequestParserProperties
{
    private const long MaxBulk = 512L * 1024 * 1024;

    // Requests of 1-6 binary arguments, each cut into segments at random places.
    private static readonly Gen<(byte[][] Args, int[] Cuts)> SplitRequests =
        Gen.Select(Gen.Byte.Array[0, 24].Array[1, 6], Gen.Int[0, 400].Array[0, 8], (args, cuts) => (args, cuts));

    [Fact]
    public void AnyRequestCutAnywhereParsesBackToItsArguments()
    {
        SplitRequests.Sample(sample =>
        {
            byte[] encoded = Encode(sample.Args);
            var sequence = Segments(encoded, sample.Cuts);
            var reader = new SequenceReader<byte>(sequence);
            var args = new RequestArgs();
            Assert.Equal(ParseStatus.Complete, RequestParser.TryParse(ref reader, args, true, MaxBulk, out _));
            Assert.Equal(encoded.Length, reader.Consumed);
            Assert.Equal(sample.Args.Length, args.Count);
            for (int i = 0; i < args.Count; i++)
            {
                Assert.Equal(sample.Args[i], args.ToArray(i));
            }
        }, iter: 5000);
    }

    [Fact]
    public void MutatedRequestsNeverThrowAndAnIncompleteOneConsumesNothing()
    {
        var mutated = Gen.Select(Gen.Byte.Array[0, 12].Array[1, 4], Gen.Int[0, 200], Gen.Byte, Gen.Int[0, 2], Gen.Bool, (args, at, value, kind, authenticated) =>
        {
            var bytes = Encode(args).ToList();
            int position = at % (bytes.Count + 1);
            switch (kind)
            {
                case 0 when position < bytes.Count: bytes[position] = value; break;
                case 1: bytes.Insert(position, value); break;
                default: if (position < bytes.Count) { bytes.RemoveAt(position); } break;
            }

            return (Bytes: bytes.ToArray(), Authenticated: authenticated);
        });
        mutated.Sample(sample =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(sample.Bytes));
            var args = new RequestArgs();
            while (!reader.End)
            {
                long before = reader.Consumed;
                var status = RequestParser.TryParse(ref reader, args, sample.Authenticated, MaxBulk, out string? error);
                if (status == ParseStatus.Incomplete)
                {
                    Assert.Equal(before, reader.Consumed);
                    break;
                }

                if (status == ParseStatus.Error)
                {
                    Assert.False(string.IsNullOrEmpty(error));
                    break;
                }

                Assert.True(reader.Consumed > before, "a complete request consumes input");
            }
        }, iter: 20_000);
    }

    private static byte[] Encode(byte[][] args)
    {
        var bytes = new List<byte>();
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes($"*{args.Length}\r\n"));
        foreach (var arg in args)
        {
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes($"${arg.Length}\r\n"));
            bytes.AddRange(arg);
            bytes.AddRange("\r\n"u8.ToArray());
        }

        return [.. bytes];
    }

    // The bytes as a sequence of segments cut at the given offsets (modulo the length).
    private static ReadOnlySequence<byte> Segments(byte[] bytes, int[] cuts)
    {
        var points = cuts.Select(c => c % (bytes.Length + 1)).Append(0).Append(bytes.Length).Distinct().Order().ToArray();
        Segment? first = null, last = null;
        for (int i = 0; i + 1 < points.Length; i++)
        {
            var segment = new Segment(bytes.AsMemory(points[i], points[i + 1] - points[i]), last);
            first ??= segment;
            last = segment;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
