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
    /// <summary>Busy cores (0 to the core count) over <paramref name="window"/>; null where /proc/stat is unavailable.</summary>
    public static double? BusyCores(TimeSpan window)
    {
        if (ReadTotals() is not { } before) return null;
        Thread.Sleep(window);
        if (ReadTotals() is not { } after) return null;
        double total = after.Total - before.Total, idle = after.Idle - before.Idle;
        if (total <= 0) return null;
        return Environment.ProcessorCount * Math.Clamp(1 - (idle / total), 0, 1);
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
