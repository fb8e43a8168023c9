namespace Aem.Evaluation;

/// <summary>
/// The spread of the points' smallest importance-sampling effective sample sizes (ESS = (Σw)²/Σw², one
/// per conditional; the smallest over a point's conditionals). A point below <see cref="Threshold"/> has
/// a conditional whose normaliser rests on a handful of samples: its log p̂ is unreliable.
/// </summary>
/// <param name="Min">The smallest over all points.</param>
/// <param name="Median">The median of the points' smallest.</param>
/// <param name="Threshold">min(20, S/2): below it a normaliser's relative standard error is about 1/√20 ≈ 22 % (≈ 0.2 nats) or worse.</param>
/// <param name="ShareBelow">The share of points with a conditional below <paramref name="Threshold"/>.</param>
/// <param name="Samples">S, the largest possible ESS.</param>
public sealed record EffectiveSampleSizeSummary(double Min, double Median, double Threshold, double ShareBelow, int Samples)
{
    /// <summary>Summarises the points' smallest ESS values for S = <paramref name="samples"/>.</summary>
    /// <param name="minPerPoint">Each point's smallest ESS over its conditionals (<see cref="PointScores.MinEffectiveSampleSize"/>).</param>
    /// <param name="samples">S, the importance samples per conditional the ESS values were computed with.</param>
    /// <exception cref="ArgumentException"><paramref name="minPerPoint"/> is empty.</exception>
    public static EffectiveSampleSizeSummary Of(IReadOnlyList<double> minPerPoint, int samples)
    {
        ArgumentNullException.ThrowIfNull(minPerPoint);
        if (minPerPoint.Count == 0) throw new ArgumentException("No points to summarise.", nameof(minPerPoint));
        double threshold = ThresholdFor(samples);
        var sorted = minPerPoint.Order().ToArray();
        return new EffectiveSampleSizeSummary(
            sorted[0], Percentile.Of(sorted, 50), threshold, (double)sorted.Count(v => v < threshold) / sorted.Length, samples);
    }

    /// <summary>min(20, S/2).</summary>
    internal static double ThresholdFor(int samples) => Math.Min(20, samples / 2.0);

    /// <summary>True when more than 1 % of the points have an unreliable normaliser.</summary>
    public bool Unreliable => ShareBelow > 0.01;
}
