using System.Globalization;

namespace Aem.Runtime;

/// <summary>
/// How many cores other processes are keeping busy right now, from two readings of Linux's
/// <c>/proc/stat</c> a moment apart. The 1-minute load average lags: just after a test run it still
/// reported two busy cores on an idle two-core machine, so `aem demo` chose one thread and trained a
/// third fewer steps.
/// </summary>
internal static class CpuUsage
{
    /// <summary>
    /// Busy cores (0 to the core count) over <paramref name="window"/>; null where /proc/stat is unavailable.
    /// Without <paramref name="countThisProcess"/> this process's own use is left out: a starting process
    /// compiles its code on background threads, which is not other work to make room for.
    /// </summary>
    public static double? BusyCores(TimeSpan window, bool countThisProcess = true)
    {
        if (Sample(window) is not { } sample) return null;
        return countThisProcess ? sample.Busy : Math.Max(0, sample.Busy - (sample.Own ?? 0));
    }

    /// <summary>Busy cores over <paramref name="window"/>, and how many of them this process used (null if unreadable).</summary>
    internal static (double Busy, double? Own)? Sample(TimeSpan window)
    {
        if (ReadTotals() is not { } before) return null;
        double? ownBefore = ReadOwnTicks();
        Thread.Sleep(window);
        if (ReadTotals() is not { } after) return null;
        double? ownAfter = ReadOwnTicks();
        double total = after.Total - before.Total, idle = after.Idle - before.Idle;
        if (total <= 0) return null;
        int cores = Environment.ProcessorCount;
        // Both files count in the same clock ticks; total is ticks summed over all cores.
        double? own = ownBefore is { } b && ownAfter is { } a ? Math.Clamp(cores * (a - b) / total, 0, cores) : null;
        return (cores * Math.Clamp(1 - (idle / total), 0, 1), own);
    }

    // utime + stime of /proc/self/stat (fields 14 and 15, counted after the parenthesised command name).
    private static double? ReadOwnTicks()
    {
        try
        {
            string text = File.ReadAllText("/proc/self/stat");
            int close = text.LastIndexOf(')');
            if (close < 0) return null;
            var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
            if (fields.Length < 13) return null;
            return double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    // The aggregate "cpu" line: user nice system idle iowait irq softirq steal …; idle time is idle + iowait.
    private static (double Total, double Idle)? ReadTotals()
    {
        try
        {
            if (!File.Exists("/proc/stat")) return null;
            using var reader = new StreamReader("/proc/stat");
            string? line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal)) return null;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => double.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            if (fields.Length < 5) return null;
            // Guest time is already counted in user time.
            double total = fields.Take(Math.Min(fields.Length, 8)).Sum();
            return (total, fields[3] + fields[4]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
