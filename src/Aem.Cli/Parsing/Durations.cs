using System.Globalization;
using System.Text.RegularExpressions;

namespace Aem.Cli.Parsing;

/// <summary>Parses and prints wall-time budgets such as "150s", "10m", "1h30m" or "90" (seconds).</summary>
internal static partial class Durations
{
    [GeneratedRegex(@"^\s*(?:(?<h>\d+(?:\.\d+)?)h)?\s*(?:(?<m>\d+(?:\.\d+)?)m)?\s*(?:(?<s>\d+(?:\.\d+)?)s?)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    /// <summary>A command-line option holding a duration, with a clear error for anything else.</summary>
    public static System.CommandLine.Option<TimeSpan?> Option(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = Parse,
    };

    /// <summary>An option's duration, or null with an error on <paramref name="result"/>.</summary>
    public static TimeSpan? Parse(System.CommandLine.Parsing.ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParse(text, out var duration)) return duration;
        result.AddError($"'{text}' is not a duration; use e.g. 90s, 10m, 1h30m.");
        return null;
    }

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
