namespace Aem.Runtime;

/// <summary>The machine's 1-minute load average where the OS reports one (Linux), for reports of timings.</summary>
public static class LoadAverage
{
    /// <summary>The 1-minute load average from /proc/loadavg; null where it cannot be read.</summary>
    public static double? OneMinute()
    {
        try
        {
            if (!File.Exists("/proc/loadavg")) return null;
            string first = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
