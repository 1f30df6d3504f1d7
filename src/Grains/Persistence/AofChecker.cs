using System.Buffers;
using OrleansRedis.Abstractions.Protocol;

namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// Checks an AOF directory (or one file) the way <c>redis-check-aof</c> does: every file must
/// be a sequence of whole RESP arrays. With fix, a damaged last file is cut at its last whole
/// record, as <c>redis-check-aof --fix</c> does.
/// </summary>
public static class AofChecker
{
    /// <summary>Checks <paramref name="path"/> (a directory, a manifest or a file); returns the process exit code.</summary>
    public static int Run(string path, bool fix, TextWriter output)
    {
        var files = Files(path);
        for (int i = 0; i < files.Count; i++)
        {
            long size = new FileInfo(files[i]).Length;
            long okUpTo = ValidPrefix(files[i], out string? problem);
            output.WriteLine($"AOF analyzed: filename={Path.GetFileName(files[i])}, size={size}, ok_up_to={okUpTo}, diff={size - okUpTo}");
            if (okUpTo == size)
            {
                continue;
            }

            output.WriteLine($"{files[i]}: {problem} at offset {okUpTo}");
            if (!fix || i != files.Count - 1)
            {
                output.WriteLine(fix ? "Only the last file can be fixed." : "AOF is not valid. Use the --fix option to try fixing it.");
                return 1;
            }

            using (var stream = new FileStream(files[i], FileMode.Open, FileAccess.Write))
            {
                stream.SetLength(okUpTo);
                stream.Flush(flushToDisk: true);
            }

            output.WriteLine($"Successfully truncated AOF {files[i]} to {okUpTo} bytes");
        }

        output.WriteLine("All AOF files and manifest are valid");
        return 0;
    }

    private static List<string> Files(string path)
    {
        if (File.Exists(path) && !path.EndsWith(".manifest", StringComparison.Ordinal))
        {
            return [path];
        }

        string manifestPath = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.manifest").Single()
            : path;
        var manifest = AofManifest.Read(manifestPath);
        string directory = Path.GetDirectoryName(manifestPath)!;
        return manifest.Files.Where(f => f.Type == 'b').Concat(manifest.Incrementals).Select(f => Path.Combine(directory, f.Name)).ToList();
    }

    // The length of the file's longest prefix made of whole RESP arrays.
    private static long ValidPrefix(string file, out string? problem)
    {
        problem = null;
        var bytes = File.ReadAllBytes(file);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var args = new RequestArgs();
        while (!reader.End)
        {
            long start = reader.Consumed;
            if (!reader.IsNext((byte)'*'))
            {
                problem = "not a RESP array";
                return start;
            }

            var status = RequestParser.TryParse(ref reader, args, authenticated: true, long.MaxValue, out string? error);
            if (status != ParseStatus.Complete)
            {
                problem = status == ParseStatus.Incomplete ? "truncated record" : error;
                return start;
            }
        }

        return bytes.Length;
    }
}
