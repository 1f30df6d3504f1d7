using System.Globalization;
using System.Text;

namespace OrleansRedis.Grains.Persistence;

/// <summary>A file the manifest lists: its name, sequence number and kind (b base, h history, i incremental).</summary>
public sealed record AofFileInfo(string Name, long Seq, char Type);

/// <summary>
/// The Redis 7 multi-part AOF manifest (<c>appendonly.aof.manifest</c>): one line per file,
/// <c>file NAME seq N type b|h|i</c>, base first, then the incremental files in order.
/// </summary>
public sealed class AofManifest
{
    /// <summary>The files, in the order they are replayed.</summary>
    public List<AofFileInfo> Files { get; } = [];

    /// <summary>The base file, if any.</summary>
    public AofFileInfo? Base => Files.FirstOrDefault(f => f.Type == 'b');

    /// <summary>The incremental files, oldest first.</summary>
    public IEnumerable<AofFileInfo> Incrementals => Files.Where(f => f.Type == 'i').OrderBy(f => f.Seq);

    /// <summary>Reads a manifest file.</summary>
    public static AofManifest Read(string path)
    {
        var manifest = new AofManifest();
        int lineNumber = 0;
        foreach (var line in File.ReadAllLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ');
            string? name = null, type = null;
            long seq = -1;
            for (int i = 0; i + 1 < parts.Length; i += 2)
            {
                switch (parts[i])
                {
                    case "file": name = parts[i + 1]; break;
                    case "seq": seq = long.Parse(parts[i + 1], CultureInfo.InvariantCulture); break;
                    case "type": type = parts[i + 1]; break;
                }
            }

            if (name is null || seq < 0 || type is not ("b" or "h" or "i"))
            {
                throw new InvalidDataException($"Invalid AOF manifest {path} at line {lineNumber}: {line}");
            }

            manifest.Files.Add(new AofFileInfo(name, seq, type[0]));
        }

        return manifest;
    }

    /// <summary>Writes the manifest atomically: to a temporary file, fsynced, then renamed over the old one.</summary>
    public void Write(string path)
    {
        var text = new StringBuilder();
        foreach (var file in Files.Where(f => f.Type == 'b').Concat(Files.Where(f => f.Type == 'h')).Concat(Incrementals))
        {
            text.Append(CultureInfo.InvariantCulture, $"file {file.Name} seq {file.Seq} type {file.Type}\n");
        }

        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
