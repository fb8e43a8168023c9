using System.Globalization;
using System.Text.RegularExpressions;

namespace Aem.Cli.Running;

/// <summary>Parses and prints wall-time budgets such as "150s", "10m", "1h30m" or "90" (seconds).</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^\s*(?:(?<h>\d+(?:\.\d+)?)h)?\s*(?:(?<m>\d+(?:\.\d+)?)m)?\s*(?:(?<s>\d+(?:\.\d+)?)s?)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Pattern().Match(text ?? "");
        if (!match.Success || string.IsNullOrWhiteSpace(text)) return false;
        double seconds = 0;
        if (match.Groups["h"].Success) seconds += 3600 * double.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["m"].Success) seconds += 60 * double.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["s"].Success) seconds += double.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture);
        if (!(seconds > 0)) return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>"2h05m", "7m30s", "42s", "0.8s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) duration = TimeSpan.Zero;
        if (duration.TotalHours >= 1) return $"{(int)duration.TotalHours}h{duration.Minutes:D2}m";
        if (duration.TotalMinutes >= 1) return $"{duration.Minutes}m{duration.Seconds:D2}s";
        return duration.TotalSeconds >= 10
            ? $"{duration.TotalSeconds:F0}s"
            : duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
    }
}
