using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>A seeded random subset of a split's rows (<c>--max-points</c>: the same estimate with wider error bars on a small budget).</summary>
internal static class PointSubset
{
    /// <summary>
    /// <paramref name="maxPoints"/> rows of <paramref name="data"/> <c>[N, D]</c> drawn without replacement
    /// (kept in their original order), or all rows when <paramref name="maxPoints"/> is null or ≥ N.
    /// Always returns a new tensor the caller disposes.
    /// </summary>
    public static Tensor Take(Tensor data, long? maxPoints, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        long n = data.shape[0];
        if (maxPoints is null || maxPoints.Value >= n) return data.alias();
        if (maxPoints.Value < 1) throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "Need at least one point.");
        using var generator = new Generator((ulong)seed, CPU);
        using var permutation = randperm(n, generator: generator);
        using var chosen = permutation.narrow(0, 0, maxPoints.Value);
        using var sorted = chosen.sort().Values;
        return data.index_select(0, sorted.to(data.device));
    }
}
