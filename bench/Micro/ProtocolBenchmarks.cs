using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Resp.Protocol;

namespace OrleansRedis.Bench.Micro;

/// <summary>The RESP reader and writer on what redis-benchmark sends and receives.</summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private readonly RequestArgs _args = new();
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private ReadOnlySequence<byte> _pipeline;
    private Reply _bulk = null!;
    private Reply _array = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 16; i++)
        {
            text.Append($"*3\r\n$3\r\nSET\r\n$16\r\nkey:{i:D12}\r\n$3\r\nxxx\r\n");
        }

        _pipeline = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text.ToString()));
        _bulk = new BulkReply(new byte[1024]);
        _array = new ArrayReply(Enumerable.Range(0, 10).Select(i => (Reply)new BulkReply(new byte[3])).ToArray());
    }

    /// <summary>Parses a pipeline of 16 SET requests.</summary>
    [Benchmark]
    public int ParsePipelineOf16Sets()
    {
        var reader = new SequenceReader<byte>(_pipeline);
        int count = 0;
        while (RequestParser.TryParse(ref reader, _args, true, 512L * 1024 * 1024, out _) == ParseStatus.Complete)
        {
            count += _args.Count;
        }

        return count;
    }

    /// <summary>Writes 16 +OK, 16 1 KiB bulk strings and 16 ten-element arrays.</summary>
    [Benchmark]
    public int WriteReplies()
    {
        _output.ResetWrittenCount();
        for (int i = 0; i < 16; i++)
        {
            ReplyWriter.Write(_output, Reply.Ok, 2);
            ReplyWriter.Write(_output, _bulk, 2);
            ReplyWriter.Write(_output, _array, 3);
        }

        return _output.WrittenCount;
    }
}
