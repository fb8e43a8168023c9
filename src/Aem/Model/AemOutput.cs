using static TorchSharp.torch;

namespace Aem.Model;

/// <summary>
/// What one forward pass of an <see cref="AutoregressiveEnergyMachine"/> yields for a batch.
/// </summary>
/// <param name="LogDensity">log p̂(x) = Σ_d (log φ(x_d) − log Ẑ_d), <c>[B]</c>.</param>
/// <param name="LogProposal">log q(x) = Σ_d log q_d(x_d), <c>[B]</c>.</param>
/// <param name="LogEnergy">log φ(x_d; γ_d) of the data, <c>[B, D]</c>.</param>
/// <param name="LogNormalizer">log Ẑ_d, <c>[B, D]</c>.</param>
/// <param name="LogProposalPerFeature">log q_d(x_d), <c>[B, D]</c>.</param>
public sealed record AemOutput(
    Tensor LogDensity,
    Tensor LogProposal,
    Tensor LogEnergy,
    Tensor LogNormalizer,
    Tensor LogProposalPerFeature) : IDisposable
{
    /// <summary>
    /// log of each conditional's importance-sampling effective sample size, ESS = (Σ w)² / Σ w² over the S
    /// samples' weights w = φ/q and the data value's own weight, <c>[B, D]</c>: about S for even weights, 1
    /// when one weight dominates — one sample, or the data value itself where the proposal puts no mass
    /// but φ does. Set by <see cref="Evaluation.LogLikelihoodEstimator"/>; null from <see cref="AutoregressiveEnergyMachine.Forward"/>.
    /// </summary>
    public Tensor? LogEffectiveSampleSize { get; init; }

    /// <summary>
    /// log p̂ with each data value counted as one more importance sample of its normaliser,
    /// <c>Σ_d log φ(x_d) − log((Σ_s w_s + w(x_d)) / (S + 1))</c>, <c>[B]</c>: never above
    /// <c>log q(x) + D·log(S + 1)</c>, so a point the proposal does not cover cannot score high; equal to
    /// <see cref="LogDensity"/> up to O(1/S) where it does. Null from <see cref="AutoregressiveEnergyMachine.Forward"/>.
    /// </summary>
    public Tensor? BoundedLogDensity { get; init; }

    /// <summary>Moves every tensor to the enclosing dispose scope (return it from a scoped method).</summary>
    public AemOutput MoveToOuterDisposeScope()
    {
        foreach (var t in All()) t.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Detaches every tensor from any dispose scope; the caller must dispose the result.</summary>
    public AemOutput DetachFromDisposeScope()
    {
        foreach (var t in All()) t.DetachFromDisposeScope();
        return this;
    }

    /// <summary>Disposes every tensor of the result.</summary>
    public void Dispose()
    {
        foreach (var t in All()) t.Dispose();
    }

    private IEnumerable<Tensor> All() =>
        new[] { LogDensity, LogProposal, LogEnergy, LogNormalizer, LogProposalPerFeature, LogEffectiveSampleSize, BoundedLogDensity }.OfType<Tensor>();
}
