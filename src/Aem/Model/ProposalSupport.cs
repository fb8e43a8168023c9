using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Model;

/// <summary>
/// The AEM's density is zero wherever its proposal's is: each normaliser Ẑ_d is an integral over the
/// proposal's support, so the model is defined there and nowhere else. A mixture of Gaussians covers the
/// whole line; a uniform proposal U(low, high) only [low, high]. Outside it the log-likelihood is −∞
/// (evaluation and scoring report it so), and training data must lie inside it.
/// </summary>
internal static class ProposalSupport
{
    /// <summary>log φ(x_d) where q(x_d) &gt; 0, −∞ where q(x_d) = 0 (elementwise, same shape).</summary>
    internal static Tensor Restrict(Tensor logEnergy, Tensor logProposal)
    {
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        using var outside = logProposal.isneginf();
        return logEnergy.masked_fill(outside, minusInfinity);
    }

    /// <summary>
    /// The values of <paramref name="x"/> (<c>[N, D]</c>, or a conditional model's rows <c>[N, D + C]</c>, in model units) outside the support of the proposal
    /// <paramref name="model"/> describes: how many rows hold one, and the first (row, column, value) in row
    /// order; null when every value is inside (always, for a mixture-of-Gaussians proposal).
    /// </summary>
    public static SupportViolation? FindOutside(AemOptions model, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        if (model.Proposal != ProposalKind.Uniform || x.shape[0] == 0) return null;
        using var scope = NewDisposeScope();
        // Rows [x | c] of a conditional model: the context is an input, not bound by the proposal's support.
        if (model.ConditioningFeatures > 0 && x.shape[1] == model.RowFeatures) x = x.narrow(1, 0, model.Features);
        using var low = model.UniformLow.ToScalar();
        using var high = model.UniformHigh.ToScalar();
        var outside = x.lt(low).logical_or_(x.gt(high));                 // [N, D]
        var rows = outside.any(1);                                       // [N]
        long count = rows.sum().item<long>();
        if (count == 0) return null;
        long row = rows.to_type(ScalarType.Int32).argmax().item<long>();
        int column = (int)outside[row].to_type(ScalarType.Int32).argmax().item<long>();
        double value = x[row, column].to_type(ScalarType.Float64).item<double>();
        return new SupportViolation(count, row, column, value, model.UniformLow, model.UniformHigh);
    }
}

/// <summary>Rows outside a uniform proposal's support [<paramref name="Low"/>, <paramref name="High"/>].</summary>
/// <param name="Rows">How many rows hold a value outside it.</param>
/// <param name="FirstRow">The first such row (0-based, in the order given).</param>
/// <param name="Column">Its first column outside (0-based).</param>
/// <param name="Value">That value, in model units.</param>
/// <param name="Low">The support's lower end.</param>
/// <param name="High">The support's upper end.</param>
internal sealed record SupportViolation(long Rows, long FirstRow, int Column, double Value, double Low, double High);
