namespace OrleansRedis.Abstractions.Hosting;

/// <summary>
/// A reason the server cannot start that the user can fix (a port in use, a data directory in
/// use, a damaged AOF): the process prints the message alone, without a stack trace, and exits 1.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
