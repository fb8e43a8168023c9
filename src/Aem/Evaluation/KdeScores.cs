using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// Per-point scores from one importance-sampling pass (<see cref="AemKde.Score"/>); float64, on the CPU.
/// </summary>
/// <param name="LogDensity">The AEM's log p̂(x) from the same samples, <c>[N]</c>.</param>
/// <param name="LogProposal">The proposal's log q(x), <c>[N]</c>.</param>
/// <param name="LogKde">AEM-KDE log p(x) for every bandwidth and proposal weight, <c>[N, H, L]</c>.</param>
/// <param name="Bandwidths">The bandwidths h, in the order of the H axis.</param>
/// <param name="ProposalWeights">The proposal weights λ, in the order of the L axis.</param>
/// <param name="Samples">Importance samples per conditional.</param>
internal sealed record KdeScores(
    Tensor LogDensity,
    Tensor LogProposal,
    Tensor LogKde,
    IReadOnlyList<double> Bandwidths,
    IReadOnlyList<double> ProposalWeights,
    int Samples) : IDisposable
{
    public void Dispose()
    {
        LogDensity.Dispose();
        LogProposal.Dispose();
        LogKde.Dispose();
    }
}
