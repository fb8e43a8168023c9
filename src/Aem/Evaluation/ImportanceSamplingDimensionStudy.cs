using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// The paper's figure 2: importance sampling deteriorates with dimension. Target: a normalised spherical
/// Gaussian N(0, σ_p² I) (σ_p = 1, so log Z = 0); proposal N(0, σ_q² I) (σ_q = 1.25); each trial estimates
/// <c>log Ẑ = logsumexp_s(log p(x_s) − log q(x_s)) − log S</c> from S = 20 samples; 50 trials per dimension.
/// With σ_q &gt; σ_p the weights have finite variance, but it grows exponentially in D (the weight is a
/// product of D independent factors), so the estimates sink below 0 and spread out as D grows.
/// </summary>
public static class ImportanceSamplingDimensionStudy
{
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();

    /// <summary>Dimensions plotted by default.</summary>
    public static IReadOnlyList<int> DefaultDimensions { get; } = [1, 2, 5, 10, 20, 50, 100];

    /// <summary>Runs the study: for each dimension D, <paramref name="trials"/> estimates of log Z (true value 0, nats).</summary>
    /// <param name="dimensions">The dimensions D to study (default <see cref="DefaultDimensions"/>).</param>
    /// <param name="trials">Estimates per dimension (the paper: 50).</param>
    /// <param name="samples">S, importance samples per estimate (the paper: 20).</param>
    /// <param name="targetScale">σ_p, the target Gaussian's standard deviation.</param>
    /// <param name="proposalScale">σ_q, the proposal Gaussian's standard deviation.</param>
    /// <param name="seed">Seeds every draw; the same seed gives the same estimates.</param>
    /// <exception cref="ArgumentException">A dimension or scale is not positive.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No trials or no samples.</exception>
    public static IReadOnlyList<DimensionStudyResult> Run(
        IReadOnlyList<int>? dimensions = null,
        int trials = 50,
        int samples = 20,
        double targetScale = 1.0,
        double proposalScale = 1.25,
        long seed = 0)
    {
        dimensions ??= DefaultDimensions;
        if (dimensions.Any(d => d < 1)) throw new ArgumentException($"Dimensions must be positive (got {string.Join(", ", dimensions)}).", nameof(dimensions));
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "Need at least one trial.");
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one sample.");
        if (!(targetScale > 0) || !(proposalScale > 0)) throw new ArgumentException("Scales must be positive.");
        using var generator = new Generator((ulong)seed, CPU);
        using var target = targetScale.ToScalar();
        using var proposal = proposalScale.ToScalar();
        using var logS = Math.Log(samples).ToScalar();
        var results = new List<DimensionStudyResult>();
        foreach (int d in dimensions)
        {
            using var scope = NewDisposeScope();
            var z = randn([trials, samples, d], dtype: float64, generator: generator);     // [T, S, D]
            var x = z.mul(proposal);
            // log N(x; 0, σ²I) up to the shared −(D/2) log 2π, which cancels in log p − log q.
            using var logTargetScales = (d * Math.Log(targetScale)).ToScalar();
            using var logProposalScales = (d * Math.Log(proposalScale)).ToScalar();
            var logP = x.div(target).pow(Scalars.Two).sum(-1).mul(MinusHalf).sub(logTargetScales);
            var logQ = z.pow(Scalars.Two).sum(-1).mul(MinusHalf).sub(logProposalScales);
            var logZHat = (logP - logQ).logsumexp(-1).sub(logS);                            // [T]
            results.Add(new DimensionStudyResult(d, logZHat.data<double>().ToArray()));
        }
        return results;
    }
}
