namespace OrleansRedis.Bench.Floor;

/// <summary>A process's own CPU time (user + system), from /proc, as the shell benchmarks read it.</summary>
public static class ProcessCpu
{
    // Linux reports it in clock ticks of 1/100 s (USER_HZ).
    private const double MicrosecondsPerTick = 10_000;

    /// <summary>The CPU time process <paramref name="pid"/> has used so far, in microseconds.</summary>
    public static double Microseconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) * MicrosecondsPerTick;
    }
}
