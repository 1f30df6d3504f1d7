namespace OrleansRedis.Abstractions.Hosting;

/// <summary>
/// A reason the server cannot start that the user can fix (a port in use, a data directory in
/// use, a damaged AOF): the process prints the message alone, without a stack trace, and exits 1.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The startup failure behind <paramref name="exception"/> (however the host wrapped it), or null when it is something else.</summary>
    public static StartupException? Within(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is StartupException startup)
            {
                return startup;
            }

            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Select(Within).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
