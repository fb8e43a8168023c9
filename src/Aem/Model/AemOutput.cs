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

    public void Dispose()
    {
        foreach (var t in All()) t.Dispose();
    }

    private IEnumerable<Tensor> All() => [LogDensity, LogProposal, LogEnergy, LogNormalizer, LogProposalPerFeature];
}
