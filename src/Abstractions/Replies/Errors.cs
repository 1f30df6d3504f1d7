namespace OrleansRedis.Abstractions.Replies;

/// <summary>
/// The error catalogue: every error text a client can receive, worded exactly as Redis 7
/// words it. Nothing else in the code writes an error message.
/// </summary>
public static class Errors
{
    /// <summary>A command met a key of another type.</summary>
    public static readonly ErrorReply WrongType = new("WRONGTYPE Operation against a key holding the wrong kind of value");

    /// <summary>Options that do not parse.</summary>
    public static readonly ErrorReply Syntax = new("ERR syntax error");

    /// <summary>An argument or value that is not a 64-bit integer.</summary>
    public static readonly ErrorReply NotInteger = new("ERR value is not an integer or out of range");

    /// <summary>An argument that is not a float.</summary>
    public static readonly ErrorReply NotFloat = new("ERR value is not a valid float");

    /// <summary>INCR family overflow.</summary>
    public static readonly ErrorReply IncrOverflow = new("ERR increment or decrement would overflow");

    /// <summary>DECRBY of the smallest 64-bit integer.</summary>
    public static readonly ErrorReply DecrementOverflow = new("ERR decrement would overflow");

    /// <summary>A float increment whose result is not finite.</summary>
    public static readonly ErrorReply NanOrInfinity = new("ERR increment would produce NaN or Infinity");

    /// <summary>HINCRBYFLOAT with an infinite increment.</summary>
    public static readonly ErrorReply ValueNanOrInfinity = new("ERR value is NaN or Infinity");

    /// <summary>HINCRBY on a field that does not hold an integer.</summary>
    public static readonly ErrorReply HashValueNotInteger = new("ERR hash value is not an integer");

    /// <summary>HINCRBYFLOAT on a field that does not hold a float.</summary>
    public static readonly ErrorReply HashValueNotFloat = new("ERR hash value is not a float");

    /// <summary>A negative SETRANGE offset.</summary>
    public static readonly ErrorReply OffsetOutOfRange = new("ERR offset is out of range");

    /// <summary>A string that would grow past proto-max-bulk-len.</summary>
    public static readonly ErrorReply StringTooLong = new("ERR string exceeds maximum allowed size (proto-max-bulk-len)");

    /// <summary>A count outside what Redis accepts.</summary>
    public static readonly ErrorReply ValueOutOfRange = new("ERR value is out of range");

    /// <summary>An integer outside the range a command accepts (getRangeLongFromObjectOrReply).</summary>
    public static ErrorReply ValueOutOfRangeBetween(long min, long max) => new($"ERR value is out of range, value must between {min} and {max}");

    /// <summary>RENAME of a missing key.</summary>
    public static readonly ErrorReply NoSuchKey = new("ERR no such key");

    /// <summary>A SCAN cursor that is not an unsigned integer.</summary>
    public static readonly ErrorReply InvalidCursor = new("ERR invalid cursor");

    /// <summary>SELECT or MOVE to a database that does not exist.</summary>
    public static readonly ErrorReply DbIndexOutOfRange = new("ERR DB index is out of range");

    /// <summary>MOVE to the key's own database.</summary>
    public static readonly ErrorReply SameObject = new("ERR source and destination objects are the same");

    /// <summary>EXPIRE with NX and another condition.</summary>
    public static readonly ErrorReply ExpireNxAndOthers = new("ERR NX and XX, GT or LT options at the same time are not compatible");

    /// <summary>EXPIRE with both GT and LT.</summary>
    public static readonly ErrorReply ExpireGtAndLt = new("ERR GT and LT options at the same time are not compatible");

    /// <summary>A command before AUTH on a server with a password.</summary>
    public static readonly ErrorReply NoAuth = new("NOAUTH Authentication required.");

    /// <summary>AUTH with a wrong password.</summary>
    public static readonly ErrorReply WrongPass = new("WRONGPASS invalid username-password pair or user is disabled.");

    /// <summary>AUTH on a server without a password.</summary>
    public static readonly ErrorReply AuthWithoutPassword = new("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");

    /// <summary>HELLO with a protocol version other than 2 or 3.</summary>
    public static readonly ErrorReply NoProto = new("NOPROTO unsupported protocol version");

    /// <summary>A timeout or unreachable owner: the client may retry.</summary>
    public static readonly ErrorReply TryAgain = new("TRYAGAIN The key's node did not answer in time, please try again");

    /// <summary>A command that may grow memory, refused over maxmemory (noeviction, or nothing left to evict).</summary>
    public static readonly ErrorReply OutOfMemory = new("OOM command not allowed when used memory > 'maxmemory'.");

    /// <summary>OBJECT FREQ without an LFU eviction policy.</summary>
    public static readonly ErrorReply LfuNotSelected = new("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");

    /// <summary>
    /// A client from outside the loopback interface while protected mode is on and the default
    /// user has no password (Redis 7.0's text, its typo included); sent at accept, then the
    /// connection is closed.
    /// </summary>
    public static readonly ErrorReply ProtectedMode = new(
        "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. "
        + "In this mode connections are only accepted from the loopback interface. If you want to connect from external computers "
        + "to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command "
        + "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is "
        + "running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make "
        + "this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration "
        + "file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server "
        + "manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password "
        + "for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting "
        + "connections from the outside.");

    /// <summary>A key whose slot's node is down (Redis Cluster's text for a slot nobody serves).</summary>
    public static readonly ErrorReply SlotNotServed = new("CLUSTERDOWN Hash slot not served");

    /// <summary>A command over the whole keyspace while a node of the node set is down (Redis Cluster's text).</summary>
    public static readonly ErrorReply ClusterDown = new("CLUSTERDOWN The cluster is down");

    /// <summary>A key whose slot is moving between nodes and did not settle while the gateway retried.</summary>
    public static readonly ErrorReply SlotMoving = new("TRYAGAIN Hash slot is moving between nodes, please try again");

    /// <summary>CLUSTER commands on a server that is not a Redis Cluster node.</summary>
    public static readonly ErrorReply ClusterDisabled = new("ERR This instance has cluster support disabled");

    /// <summary>A client name with spaces or special characters.</summary>
    public static readonly ErrorReply InvalidClientName = new("ERR Client names cannot contain spaces, newlines or special characters.");

    /// <summary>HELLO with a version that is not a number.</summary>
    public static readonly ErrorReply ProtocolVersionNotInteger = new("ERR Protocol version is not an integer or out of range");

    /// <summary>HELLO without AUTH on a server with a password.</summary>
    public static readonly ErrorReply HelloNoAuth = new("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");

    /// <summary>CLIENT KILL of an address no client has.</summary>
    public static readonly ErrorReply NoSuchClient = new("ERR No such client");

    /// <summary>CLIENT KILL ID with an id that is not positive.</summary>
    public static readonly ErrorReply ClientIdNotPositive = new("ERR client-id should be greater than 0");

    /// <summary>CLIENT LIST ID with an id that is not a positive number.</summary>
    public static readonly ErrorReply InvalidClientId = new("ERR Invalid client ID");

    /// <summary>CONFIG REWRITE: there is no config file to rewrite.</summary>
    public static readonly ErrorReply NoConfigFile = new("ERR The server is running without a config file");

    /// <summary>BGREWRITEAOF while one runs (or, here, with the AOF off).</summary>
    public static readonly ErrorReply RewriteInProgress = new("ERR Background append only file rewriting already in progress");

    /// <summary>SHUTDOWN ABORT with no shutdown waiting to be aborted.</summary>
    public static readonly ErrorReply NoShutdownInProgress = new("ERR No shutdown in progress.");

    /// <summary>SHUTDOWN that could not do what it was asked (SAVE without FORCE: there is no RDB snapshot to write).</summary>
    public static readonly ErrorReply ShutdownFailed = new("ERR Errors trying to SHUTDOWN. Check logs.");

    /// <summary>HELLO with an option it does not know.</summary>
    public static ErrorReply HelloSyntax(string option) => new($"ERR Syntax error in HELLO option '{option}'");

    /// <summary>CLIENT SETINFO with a value that has spaces or special characters.</summary>
    public static ErrorReply InvalidLibraryAttribute(string attribute) => new($"ERR {attribute} cannot contain spaces, newlines or special characters.");

    /// <summary>CLIENT SETINFO with an attribute it does not know.</summary>
    public static ErrorReply UnrecognizedOption(string option) => new($"ERR Unrecognized option '{option}'");

    /// <summary>CLIENT LIST TYPE with an unknown type.</summary>
    public static ErrorReply UnknownClientType(string type) => new($"ERR Unknown client type '{type}'");

    /// <summary>CONFIG SET of a parameter that does not exist.</summary>
    public static ErrorReply UnknownConfigOption(string name) => new($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");

    /// <summary>CONFIG SET with a value the parameter rejects.</summary>
    public static ErrorReply ConfigSetFailed(string name, string reason) => new($"ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}");

    /// <summary>A node-set change that cannot be made (no such node, the last node, a node down).</summary>
    public static ErrorReply NodeSetChange(string reason) => new($"ERR {reason}");

    /// <summary>A command that failed inside the server: an unexpected exception, reported rather than dropping the connection.</summary>
    public static ErrorReply Internal(Exception exception) => new($"ERR internal error: {exception.GetType().Name}: {exception.Message}");

    /// <summary>Wrong arity.</summary>
    public static ErrorReply WrongArgumentCount(string command) => new($"ERR wrong number of arguments for '{command}' command");

    /// <summary>An unknown command, quoting the first arguments as Redis does.</summary>
    public static ErrorReply UnknownCommand(string name, IEnumerable<string> args)
    {
        // As Redis: quote arguments while the quoted text is under 128 characters, cutting the last one to fit.
        var quoted = new System.Text.StringBuilder();
        foreach (var arg in args)
        {
            if (quoted.Length >= 128)
            {
                break;
            }

            int room = 128 - quoted.Length;
            quoted.Append('\'').Append(arg.Length > room ? arg[..room] : arg).Append("' ");
        }

        return new($"ERR unknown command '{Truncate(name)}', with args beginning with: {quoted}");
    }

    /// <summary>An unknown subcommand of a container command.</summary>
    public static ErrorReply UnknownSubcommand(string subcommand, string command) =>
        new($"ERR unknown subcommand '{Truncate(subcommand)}'. Try {command.ToUpperInvariant()} HELP.");

    /// <summary>An expiry that is not positive or overflows.</summary>
    public static ErrorReply InvalidExpireTime(string command) => new($"ERR invalid expire time in '{command}' command");

    /// <summary>An EXPIRE option that is not NX, XX, GT or LT.</summary>
    public static ErrorReply UnsupportedOption(string option) => new($"ERR Unsupported option {option}");

    /// <summary>A command other than the pub/sub ones in RESP2 subscribe mode.</summary>
    public static ErrorReply OnlyPubSubAllowed(string command) =>
        new($"ERR Can't execute '{command}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");

    /// <summary>A malformed request; the connection is closed after it.</summary>
    public static ErrorReply Protocol(string detail) => new($"ERR Protocol error: {detail}");

    // Redis quotes at most 128 bytes of a name or argument in these messages.
    private static string Truncate(string text) => text.Length > 128 ? text[..128] : text;
}
