using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Persistence;

/// <summary>The AOF scanner is a parser too: records split across reads at every byte, and damaged input.</summary>
public sealed class AofScannerTests : IDisposable
{
    private static readonly byte[] File = Encoding.UTF8.GetBytes(string.Concat(
        Encoding.UTF8.GetString(RawClient.Encode("SELECT", "0")),
        Encoding.UTF8.GetString(RawClient.Encode("SET", "a", "1")),
        Encoding.UTF8.GetString(RawClient.Encode("HSET", "h", "f", "v", "g", "w")),
        Encoding.UTF8.GetString(RawClient.Encode("MSET", "m1", "x", "m2", "y")),
        Encoding.UTF8.GetString(RawClient.Encode("SELECT", "3")),
        Encoding.UTF8.GetString(RawClient.Encode("SET", "b", "binary\r\nvalue")),
        Encoding.UTF8.GetString(RawClient.Encode("RENAME", "b", "c")),
        Encoding.UTF8.GetString(RawClient.Encode("DEL", "zz", "c")),
        Encoding.UTF8.GetString(RawClient.Encode("PEXPIREAT", "a", "4102444800000"))));

    private readonly List<string> _written = [];

    [Fact]
    public void ARecordSplitAcrossReadsAtEveryByteScansTheSame()
    {
        string expected = Scan(File, chunkSize: 1 << 20);
        Assert.Contains("db0 a", expected);
        Assert.Contains("db0 m2", expected);
        Assert.DoesNotContain("db3 c", expected);
        for (int chunk = 1; chunk <= File.Length; chunk++)
        {
            Assert.Equal(expected, Scan(File, chunk));
        }
    }

    [Fact]
    public void EveryTruncationOfTheLastRecordIsCutBackToTheLastWholeRecord()
    {
        int lastStart = Encoding.UTF8.GetString(File).LastIndexOf("*3\r\n$9\r\nPEXPIREAT", StringComparison.Ordinal);
        for (int length = lastStart + 1; length < File.Length; length++)
        {
            string path = Write(File[..length]);
            Scan(path, chunkSize: 7, loadTruncated: true);
            Assert.Equal(lastStart, new FileInfo(path).Length);
        }
    }

    [Fact]
    public void ATruncatedRecordIsRefusedWithoutAofLoadTruncated()
    {
        string path = Write(File[..^3]);
        var error = Assert.Throws<InvalidDataException>(() => Scan(path, chunkSize: 64, loadTruncated: false));
        Assert.Contains("at offset", error.Message);
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("*1\r\n:5\r\n")]
    [InlineData("*2\r\n$3\r\nSET\r\n$-4\r\n")]
    [InlineData("*2\r\n$4\r\nSORT\r\n$1\r\nk\r\n")]
    public void DamageAfterAWholeRecordNamesTheOffset(string damage)
    {
        byte[] head = RawClient.Encode("SET", "a", "1");
        string path = Write([.. head, .. Encoding.UTF8.GetBytes(damage), .. head]);
        var error = Assert.Throws<InvalidDataException>(() => Scan(path, chunkSize: 5, loadTruncated: true));
        Assert.Contains($"at offset {head.Length}", error.Message);
    }

    [Fact]
    public void ATransactionWithoutItsExecIsCutAtItsMultiAndReportedForARescan()
    {
        byte[] head = [.. RawClient.Encode("RPUSH", "a", "1"), .. RawClient.Encode("MULTI"), .. RawClient.Encode("LPOP", "a", "1"), .. RawClient.Encode("RPUSH", "b", "1"), .. RawClient.Encode("EXEC")];
        byte[] open = [.. RawClient.Encode("MULTI"), .. RawClient.Encode("LPOP", "b", "1")];
        string path = Write([.. head, .. open]);
        var records = new ConcurrentDictionary<int, ConcurrentDictionary<byte[], List<AofRecordRef>>>();
        var scanner = new AofScanner(records, NullLogger.Instance, chunkSize: 7);
        var error = Assert.Throws<InvalidDataException>(() => scanner.Scan(path, new AofFileInfo("t", 1, 'i'), isLast: true, loadTruncated: false));
        Assert.Contains($"at offset {head.Length}: MULTI without EXEC", error.Message);

        Assert.True(scanner.Scan(path, new AofFileInfo("t", 1, 'i'), isLast: true, loadTruncated: true));
        Assert.Equal(head.Length, new FileInfo(path).Length);
        records.Clear();
        Assert.False(scanner.Scan(path, new AofFileInfo("t", 1, 'i'), isLast: true, loadTruncated: true));
        Assert.Equal(2, records[0].Count);
    }

    private string Scan(byte[] bytes, int chunkSize) => Scan(Write(bytes), chunkSize, loadTruncated: false);

    private static string Scan(string path, int chunkSize, bool loadTruncated)
    {
        var records = new ConcurrentDictionary<int, ConcurrentDictionary<byte[], List<AofRecordRef>>>();
        new AofScanner(records, NullLogger.Instance, chunkSize).Scan(path, new AofFileInfo("t", 1, 'i'), isLast: true, loadTruncated);
        return string.Join("\n", records
            .SelectMany(db => db.Value.Select(k => $"db{db.Key} {Encoding.UTF8.GetString(k.Key)} {string.Join(",", k.Value)}"))
            .Order(StringComparer.Ordinal));
    }

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"orleansredis-scan-{Guid.NewGuid():N}.aof");
        System.IO.File.WriteAllBytes(path, bytes);
        _written.Add(path);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (string path in _written)
        {
            System.IO.File.Delete(path);
        }
    }
}
