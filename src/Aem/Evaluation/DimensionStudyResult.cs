namespace Aem.Evaluation;

/// <summary>Importance-sampling estimates of log Z (true value 0) for one dimension (paper fig. 2).</summary>
/// <param name="Dimension">The Gaussians' dimension.</param>
/// <param name="LogZHat">One estimate per trial.</param>
public sealed record DimensionStudyResult(int Dimension, IReadOnlyList<double> LogZHat)
{
    public double Mean => LogZHat.Average();

    public double Percentile(double percent) => Evaluation.Percentile.Of(LogZHat.ToArray(), percent);
}
