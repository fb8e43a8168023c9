namespace Aem.Evaluation;

/// <summary>
/// <see cref="EffectiveSampleSizeSummary"/> over a stream of points in bounded memory, for scoring files of
/// any length: the minimum and the share below the threshold are exact; the median comes from a histogram of
/// 1,000 equal bins over [0, S + 1] (the data point's own weight counts as one more sample), so it is within
/// (S + 1)/2,000 of the exact one.
/// </summary>
public sealed class EffectiveSampleSizeTally
{
    private const int Bins = 1000;
    private readonly long[] counts = new long[Bins];
    private readonly int samples;
    private readonly double threshold;
    private long below;
    private double min = double.PositiveInfinity;

    /// <summary>A tally for ESS values computed with S = <paramref name="samples"/> importance samples.</summary>
    /// <param name="samples">S, at least 1.</param>
    public EffectiveSampleSizeTally(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        this.samples = samples;
        threshold = EffectiveSampleSizeSummary.ThresholdFor(samples);
    }

    /// <summary>Points counted so far.</summary>
    public long Count { get; private set; }

    /// <summary>Counts each point's smallest ESS (<see cref="PointScores.MinEffectiveSampleSize"/>).</summary>
    /// <param name="minPerPoint">The points' values.</param>
    public void Add(IEnumerable<double> minPerPoint)
    {
        ArgumentNullException.ThrowIfNull(minPerPoint);
        foreach (double value in minPerPoint)
        {
            Count++;
            if (value < threshold) below++;
            min = Math.Min(min, value);
            int bin = (int)Math.Clamp(value / (samples + 1) * Bins, 0, Bins - 1);
            counts[bin]++;
        }
    }

    /// <summary>The summary of the points counted, or null before the first.</summary>
    public EffectiveSampleSizeSummary? Summary()
    {
        if (Count == 0) return null;
        long half = (Count + 1) / 2, seen = 0;
        int median = 0;
        while (median < Bins - 1 && (seen += counts[median]) < half) median++;
        double centre = (median + 0.5) / Bins * (samples + 1);
        return new EffectiveSampleSizeSummary(min, centre, threshold, (double)below / Count, samples);
    }
}
