using System.Globalization;
using OrleansRedis.Abstractions.Hosting;

namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// Keeps a data directory to one process: a lock file held open with an exclusive OS lock for
/// the life of the process (the OS releases it when the process dies, even by <c>kill -9</c>),
/// and the holder's pid beside it so that a second process can say who holds the directory.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the data directory.</summary>
    public const string FileName = "orleansredis.lock";

    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream held) => _lock = held;

    /// <summary>
    /// Locks <paramref name="directory"/> (creating it if needed), or throws
    /// <see cref="StartupException"/> naming the process that holds it.
    /// </summary>
    public static DataDirectoryLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        FileStream held;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, a share lock on Windows.
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string holder = File.Exists(path + ".pid") ? File.ReadAllText(path + ".pid").Trim() : "unknown";
            throw new StartupException($"The data directory {directory} is in use by another OrleansRedis process (pid {holder}); each process needs a directory of its own (--dir).");
        }

        File.WriteAllText(path + ".pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return new DataDirectoryLock(held);
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();
}
