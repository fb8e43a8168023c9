namespace Aem;

/// <summary>Per-row scores from <see cref="AemModel.Score(double[,], int, long, Model.NormalizerEstimator)"/>, in the rows' order and the caller's units.</summary>
/// <param name="LogLikelihood">log p̂(x), nats: the AEM's estimate with S importance samples per conditional.</param>
/// <param name="LogProposal">log q(x) under the model's proposal (exact).</param>
/// <param name="MinEffectiveSampleSize">
/// The smallest importance-sampling effective sample size over the row's conditionals (the row's own value
/// counted as a sample): below about 20 the row's log p̂ is unreliable — raise the samples, or, if the row
/// lies where the proposal puts no mass, trust <paramref name="BoundedLogLikelihood"/> instead.
/// </param>
/// <param name="BoundedLogLikelihood">
/// log p̂ with the row counted as one more importance sample: never above log q + D·log(S + 1), so rows far
/// from the data cannot score high. Rank anomalies by it.
/// </param>
public sealed record RowScores(double[] LogLikelihood, double[] LogProposal, double[] MinEffectiveSampleSize, double[] BoundedLogLikelihood);
