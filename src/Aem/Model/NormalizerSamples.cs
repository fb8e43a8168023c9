using Aem.Distributions;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Model;

/// <summary>
/// The S proposal samples of every conditional of a batch, placed as a <see cref="NormalizerEstimator"/> says
/// and handed out in chunks (evaluation folds them into a running log-sum-exp): samples s = start..start+n−1
/// of S. Iid draws come from the generator chunk by chunk, exactly as <see cref="IProposal.Sample"/> draws
/// them; a stratified batch draws its one shift U per conditional from the generator when it is created;
/// quadrature draws nothing.
/// </summary>
internal sealed class NormalizerSamples : IDisposable
{
    private static readonly Scalar Half = 0.5.ToScalar();
    private readonly IProposal proposal;
    private readonly Generator? generator;
    private readonly Tensor? shift;
    private readonly long total;
    private long next;

    /// <param name="proposal">The conditionals' proposal, over <paramref name="batchShape"/>.</param>
    /// <param name="batchShape">The proposal's leading shape, e.g. <c>[B, D]</c>.</param>
    /// <param name="device">Where the samples are made.</param>
    /// <param name="estimator">How to place the samples.</param>
    /// <param name="samples">S, the samples per conditional in all.</param>
    /// <param name="generator">Iid draws and the stratified shifts come from it.</param>
    public NormalizerSamples(IProposal proposal, long[] batchShape, Device device, NormalizerEstimator estimator, long samples, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(batchShape);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        this.proposal = proposal;
        this.generator = generator;
        Estimator = estimator;
        total = samples;
        shift = estimator switch
        {
            NormalizerEstimator.Iid => null,
            NormalizerEstimator.Stratified => rand([.. batchShape, 1], dtype: float64, device: device, generator: generator), // [..., 1]
            NormalizerEstimator.Quadrature => full([.. batchShape, 1], Half, dtype: float64, device: device),                 // [..., 1]
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "Unknown normaliser estimator."),
        };
    }

    /// <summary>How the samples are placed.</summary>
    public NormalizerEstimator Estimator { get; }

    /// <summary>The next <paramref name="count"/> samples of every conditional, <c>[..., count]</c>, with no gradient.</summary>
    public Tensor Next(long count)
    {
        if (count < 1 || next + count > total)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{next} of {total} samples are handed out already.");
        }
        long start = next;
        next += count;
        if (shift is null) return proposal.Sample(count, generator);
        using var scope = NewDisposeScope();
        using var first = start.ToScalar();
        using var end = (start + count).ToScalar();
        using var samples = total.ToScalar();
        var strata = arange(first, end, Scalars.One, float64, shift.device);                          // [count]
        var u = shift.add(strata, Scalars.One).div_(samples);                                         // (s + U)/S, [..., count]
        return proposal.Quantile(u).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the shifts (not the proposal or the generator).</summary>
    public void Dispose() => shift?.Dispose();
}
