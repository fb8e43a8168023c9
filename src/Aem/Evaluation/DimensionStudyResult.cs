namespace Aem.Evaluation;

/// <summary>Importance-sampling estimates of log Z (true value 0) for one dimension (paper fig. 2).</summary>
/// <param name="Dimension">The Gaussians' dimension.</param>
/// <param name="LogZHat">One estimate per trial.</param>
public sealed record DimensionStudyResult(int Dimension, IReadOnlyList<double> LogZHat)
{
    /// <summary>The mean of the trials' log Ẑ (nats); below 0 means importance sampling underestimates Z on average.</summary>
    public double Mean => LogZHat.Average();

    /// <summary>The <paramref name="percent"/>-th percentile (0–100, linear interpolation) of the trials' log Ẑ (nats).</summary>
    public double Percentile(double percent) => Evaluation.Percentile.Of(LogZHat.ToArray(), percent);
}
