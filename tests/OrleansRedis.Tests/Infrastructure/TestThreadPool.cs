using System.Runtime.CompilerServices;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// Many tests drive real servers from blocking clients on thread-pool threads (RawClient:
/// 32 writers in one test, 8 in another, running side by side). The pool starts with one
/// thread per core and adds about two a second when starved, so a test started next to another
/// whose writers all wait on a slow server could get none of its own writers running for
/// seconds (seen: a crash test acknowledged no write in its 3 s next to the slow-disk SIGTERM
/// test). Enough threads from the start keep tests from starving each other.
/// </summary>
internal static class TestThreadPool
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 128), Math.Max(io, 128));
    }
}
