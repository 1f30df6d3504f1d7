using Microsoft.Extensions.Logging;

namespace OrleansRedis.Resp;

/// <summary>The RESP server's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Command {Command} failed")]
    public static partial void LogCommandFailure(this ILogger logger, Exception exception, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "RESP server ({Mode}) listening on {Endpoint}")]
    public static partial void LogListening(this ILogger logger, string mode, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ClientId} ended with an error")]
    public static partial void LogConnectionError(this ILogger logger, Exception exception, long clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} closed for overcoming of output buffer limits ({Bytes} bytes pending)")]
    public static partial void LogOutputLimit(this ILogger logger, long clientId, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the pub/sub listener")]
    public static partial void LogPubSubRegistrationFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SHUTDOWN SAVE refused: this server writes no RDB snapshot (its AOF holds the data); use SHUTDOWN, SHUTDOWN NOSAVE or SHUTDOWN SAVE FORCE")]
    public static partial void LogShutdownSaveRefused(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User requested shutdown (client {ClientId})")]
    public static partial void LogShutdownRequested(this ILogger logger, long clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} is down: its slots answer CLUSTERDOWN, commands over the whole keyspace answer CLUSTERDOWN until it is back")]
    public static partial void LogNodeDown(this ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is back")]
    public static partial void LogNodeBack(this ILogger logger, string node);
}
