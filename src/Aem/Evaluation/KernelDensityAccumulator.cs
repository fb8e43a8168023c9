using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// Streams importance samples into the kernel part of AEM-KDE (paper §4.3, SPEC §1.7) for several
/// bandwidths at once: for values v <c>[..., N]</c> it keeps, per bandwidth h,
/// <c>A_h = logsumexp_s(log w_s + log N(v; x_s, h²))</c> and <c>W = logsumexp_s log w_s</c>, so that
/// <c>log Σ_s w̄_s N(v; x_s, h²) = A_h − W</c> with self-normalised weights <c>w̄_s = w_s / Σ w</c>.
/// Samples arrive in chunks, so S = 20,000 needs memory for one chunk only. Everything is float64.
/// </summary>
internal sealed class KernelDensityAccumulator : IDisposable
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();
    private readonly Tensor values;        // [..., N, 1, 1]
    private readonly Tensor inverseBandwidths; // [H]
    private readonly Tensor logNormaliser; // [H]: −log h − ½ log 2π
    private Tensor? weightedKernels;       // [..., N, H]
    private Tensor? logWeightSum;          // [...]

    /// <param name="values">Points v <c>[..., N]</c> at which to evaluate the kernel density.</param>
    /// <param name="bandwidths">Kernel standard deviations h (positive), one result column each.</param>
    public KernelDensityAccumulator(Tensor values, IReadOnlyList<double> bandwidths)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(bandwidths);
        if (bandwidths.Count == 0) throw new ArgumentException("Give at least one bandwidth.", nameof(bandwidths));
        if (bandwidths.Any(h => !(h > 0) || double.IsInfinity(h)))
        {
            throw new ArgumentException($"Bandwidths must be positive and finite (got {string.Join(", ", bandwidths)}).", nameof(bandwidths));
        }
        Bandwidths = bandwidths.ToArray();
        var device = values.device;
        this.values = values.detach().to(float64).unsqueeze(-1).unsqueeze(-1).DetachFromDisposeScope(); // [..., N, 1, 1]
        inverseBandwidths = tensor(Bandwidths.Select(h => 1 / h).ToArray(), float64, device).DetachFromDisposeScope();
        logNormaliser = tensor(Bandwidths.Select(h => -Math.Log(h) - HalfLogTwoPi).ToArray(), float64, device).DetachFromDisposeScope();
    }

    public IReadOnlyList<double> Bandwidths { get; }

    /// <summary>Samples folded in so far.</summary>
    public long SampleCount { get; private set; }

    /// <summary>
    /// Folds in proposal samples <paramref name="samples"/> <c>[..., s]</c> with unnormalised log-weights
    /// <paramref name="logWeights"/> = log φ − log q, same shape.
    /// </summary>
    public void Add(Tensor samples, Tensor logWeights)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(logWeights);
        using var scope = NewDisposeScope();
        var x = samples.detach().to(float64).unsqueeze(-2).unsqueeze(-1);        // [..., 1, s, 1]
        var logW = logWeights.detach().to(float64);                              // [..., s]
        var z = (values - x) * inverseBandwidths;                                // [..., N, s, H]
        var terms = z.pow(Scalars.Two).mul(MinusHalf).add(logNormaliser, Scalars.One).add(logW.unsqueeze(-2).unsqueeze(-1), Scalars.One);
        var chunkKernels = terms.logsumexp(-2);                                  // [..., N, H]
        var chunkWeights = logW.logsumexp(-1);                                   // [...]
        var kernels = weightedKernels is null ? chunkKernels : weightedKernels.logaddexp(chunkKernels);
        var weights = logWeightSum is null ? chunkWeights : logWeightSum.logaddexp(chunkWeights);
        weightedKernels?.Dispose();
        logWeightSum?.Dispose();
        weightedKernels = kernels.DetachFromDisposeScope();
        logWeightSum = weights.DetachFromDisposeScope();
        SampleCount += samples.shape[^1];
    }

    /// <summary>log Σ_s w_s <c>[...]</c>: minus log S, the importance-sampling log Ẑ of the same samples.</summary>
    public Tensor LogWeightSum => logWeightSum ?? throw new InvalidOperationException("No samples have been added.");

    /// <summary><c>log Σ_s w̄_s N(v; x_s, h²)</c> for every value and bandwidth, <c>[..., N, H]</c>.</summary>
    public Tensor LogKernelDensity()
    {
        if (weightedKernels is null || logWeightSum is null) throw new InvalidOperationException("No samples have been added.");
        return weightedKernels - logWeightSum.unsqueeze(-1).unsqueeze(-1);
    }

    /// <summary>
    /// The AEM-KDE mixture <c>log(λ q(v) + (1 − λ) KDE_h(v))</c> for every bandwidth and proposal weight λ:
    /// <paramref name="logKernelDensity"/> <c>[..., N, H]</c>, <paramref name="logProposal"/> <c>[..., N]</c>
    /// → <c>[..., N, H, L]</c>. λ = 1 gives the proposal, λ = 0 the kernel estimate alone.
    /// </summary>
    public static Tensor Mixture(Tensor logKernelDensity, Tensor logProposal, IReadOnlyList<double> proposalWeights)
    {
        ArgumentNullException.ThrowIfNull(logKernelDensity);
        ArgumentNullException.ThrowIfNull(logProposal);
        ArgumentNullException.ThrowIfNull(proposalWeights);
        if (proposalWeights.Count == 0 || proposalWeights.Any(l => !(l >= 0 && l <= 1)))
        {
            throw new ArgumentException($"Proposal weights must lie in [0, 1] (got {string.Join(", ", proposalWeights)}).", nameof(proposalWeights));
        }
        using var scope = NewDisposeScope();
        var device = logKernelDensity.device;
        var logLambda = tensor(proposalWeights.Select(l => Math.Log(l)).ToArray(), float64, device);            // [L]
        var logOneMinus = tensor(proposalWeights.Select(l => Math.Log(1 - l)).ToArray(), float64, device); // [L]
        var proposalPart = logProposal.to(float64).unsqueeze(-1).unsqueeze(-1).add(logLambda, Scalars.One); // [..., N, 1, L]
        var kernelPart = logKernelDensity.to(float64).unsqueeze(-1).add(logOneMinus, Scalars.One);           // [..., N, H, L]
        // log(0) = −∞ on either side is fine: logaddexp(a, −∞) = a.
        return proposalPart.logaddexp(kernelPart).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        values.Dispose();
        inverseBandwidths.Dispose();
        logNormaliser.Dispose();
        weightedKernels?.Dispose();
        logWeightSum?.Dispose();
    }
}
