namespace Aem.Evaluation;

/// <summary>Percentiles by linear interpolation between order statistics (NumPy's default rule).</summary>
public static class Percentile
{
    /// <summary>The <paramref name="percent"/>-th percentile (0–100) of <paramref name="values"/>; NaN if empty.</summary>
    public static double Of(IReadOnlyCollection<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(percent >= 0 && percent <= 100)) throw new ArgumentOutOfRangeException(nameof(percent), percent, "Percent must be in [0, 100].");
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        double position = percent / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
