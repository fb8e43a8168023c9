namespace Aem.Benchmarking;

/// <summary>Peak resident memory of this process, from Linux's /proc (null elsewhere).</summary>
public static class PeakMemory
{
    /// <summary>Resets the kernel's peak-RSS mark (VmHWM) so the next reading covers only what follows.</summary>
    public static bool TryReset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak resident set size in bytes since start or the last reset.</summary>
    public static long? PeakBytes() => Read("VmHWM:");

    /// <summary>Current resident set size in bytes.</summary>
    public static long? CurrentBytes() => Read("VmRSS:");

    private static long? Read(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }
}
