using System.Globalization;

namespace OrleansRedis.Resp.Config;

/// <summary>
/// One client class's <c>client-output-buffer-limit</c>: a client whose pending output passes
/// <see cref="Hard"/> bytes, or stays above <see cref="Soft"/> bytes for <see cref="SoftSeconds"/>,
/// is disconnected. 0 turns a limit off (Redis's default for normal clients).
/// </summary>
public sealed record OutputBufferLimit(long Hard, long Soft, long SoftSeconds)
{
    private static readonly string[] Classes = ["normal", "slave", "pubsub"];

    /// <summary>Whether any limit is set.</summary>
    public bool Enabled => Hard > 0 || Soft > 0;

    /// <summary>The limit of <paramref name="clientClass"/> (normal, pubsub) in the parameter's value, or none.</summary>
    public static OutputBufferLimit Of(string value, string clientClass) =>
        TryParse(value, out var limits) && limits.TryGetValue(clientClass, out var limit) ? limit : new OutputBufferLimit(0, 0, 0);

    /// <summary>
    /// CONFIG SET's merge: the classes named in <paramref name="update"/> replace theirs in
    /// <paramref name="current"/>; the result in Redis's form (every class, sizes in bytes).
    /// </summary>
    public static bool TryMerge(string current, string update, out string merged, out string? error)
    {
        merged = current;
        var words = update.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length % 4 != 0)
        {
            error = "Wrong number of arguments in buffer limit configuration.";
            return false;
        }

        if (!TryParse(current, out var limits))
        {
            limits = [];
        }

        for (int i = 0; i < words.Length; i += 4)
        {
            string name = ClassName(words[i]);
            if (!Classes.Contains(name))
            {
                error = "Invalid client class specified in buffer limit configuration.";
                return false;
            }

            if (!TryReadLimit(words, i, out var limit))
            {
                error = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
                return false;
            }

            limits[name] = limit;
        }

        merged = string.Join(' ', Classes.Select(name =>
        {
            var limit = limits.GetValueOrDefault(name) ?? new OutputBufferLimit(0, 0, 0);
            return string.Create(CultureInfo.InvariantCulture, $"{name} {limit.Hard} {limit.Soft} {limit.SoftSeconds}");
        }));
        error = null;
        return true;
    }

    private static bool TryParse(string value, out Dictionary<string, OutputBufferLimit> limits)
    {
        limits = [];
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 3 < words.Length; i += 4)
        {
            if (!TryReadLimit(words, i, out var limit))
            {
                return false;
            }

            limits[ClassName(words[i])] = limit;
        }

        return words.Length % 4 == 0;
    }

    // "replica" is Redis's newer name for the slave class.
    private static string ClassName(string word) => word.ToLowerInvariant() is "replica" ? "slave" : word.ToLowerInvariant();

    // The hard, soft and seconds after the class name at words[i]: sizes with units, none negative.
    private static bool TryReadLimit(string[] words, int i, out OutputBufferLimit limit)
    {
        limit = new OutputBufferLimit(0, 0, 0);
        if (!ServerConfig.TryParseMemory(words[i + 1], out long hard) || !ServerConfig.TryParseMemory(words[i + 2], out long soft)
            || !long.TryParse(words[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || hard < 0 || soft < 0)
        {
            return false;
        }

        limit = new OutputBufferLimit(hard, soft, seconds);
        return true;
    }
}
