namespace Aem.Figures;

/// <summary>
/// An AEM and its proposal evaluated on a grid, in data units, split by the autoregressive
/// factorisation <c>log p(x1, x2) = log p(x1) + log p(x2 | x1)</c>. Index i runs along x1, j along x2.
/// </summary>
/// <param name="X1">Grid values of x1, <c>[G1]</c>.</param>
/// <param name="X2">Grid values of x2, <c>[G2]</c>.</param>
/// <param name="LogMarginal">AEM log p̂(x1) = log φ_1(x1) − log Ẑ_1, <c>[G1]</c>.</param>
/// <param name="LogMarginalProposal">Proposal log q(x1), <c>[G1]</c>.</param>
/// <param name="LogConditional">AEM log p̂(x2 | x1) = log φ_2(x2; γ(x1)) − log Ẑ_2(x1), <c>[G1, G2]</c>.</param>
/// <param name="LogConditionalProposal">Proposal log q(x2 | x1), <c>[G1, G2]</c>.</param>
/// <param name="Samples">S, the importance samples behind each Ẑ.</param>
public sealed record FactorisedGrid(
    double[] X1,
    double[] X2,
    double[] LogMarginal,
    double[] LogMarginalProposal,
    double[,] LogConditional,
    double[,] LogConditionalProposal,
    int Samples)
{
    /// <summary>p̂(x1, x2) on the grid, <c>[G1, G2]</c>.</summary>
    public double[,] Density() => Joint(LogMarginal, LogConditional);

    /// <summary>q(x1, x2) on the grid, <c>[G1, G2]</c>.</summary>
    public double[,] ProposalDensity() => Joint(LogMarginalProposal, LogConditionalProposal);

    private static double[,] Joint(double[] marginal, double[,] conditional)
    {
        int g1 = conditional.GetLength(0), g2 = conditional.GetLength(1);
        var result = new double[g1, g2];
        for (int i = 0; i < g1; i++)
        {
            for (int j = 0; j < g2; j++) result[i, j] = Math.Exp(marginal[i] + conditional[i, j]);
        }
        return result;
    }
}
