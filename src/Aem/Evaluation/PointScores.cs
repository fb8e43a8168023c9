namespace Aem.Evaluation;

/// <summary>Per-point scores from <see cref="PointScorer"/>, in the order the points were given.</summary>
/// <param name="LogDensity">The AEM's log p̂(x) (plus the units offset), nats.</param>
/// <param name="LogProposal">The proposal's log q(x) (plus the units offset), nats.</param>
/// <param name="MinEffectiveSampleSize">
/// The smallest importance-sampling effective sample size over the point's conditionals,
/// ESS = (Σw)²/Σw² with w = φ/q over the samples and the point's own value: near S the normalisers are
/// trustworthy; near 1 one weight dominates — a sample, or the point itself where the proposal puts no
/// mass — and the point's log p̂ is unreliable.
/// </param>
/// <param name="BoundedLogDensity">
/// log p̂ with the point counted as one more importance sample of each normaliser (plus the units offset):
/// at most log q + D·log(S + 1), so a point far outside the proposal cannot score high (anomaly ranking).
/// </param>
public sealed record PointScores(double[] LogDensity, double[] LogProposal, double[] MinEffectiveSampleSize, double[] BoundedLogDensity)
{
    /// <summary>The number of points.</summary>
    public int Count => LogDensity.Length;
}
