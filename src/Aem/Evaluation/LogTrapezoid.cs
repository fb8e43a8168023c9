using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// The log-space trapezoid rule (Pitkin, 2017; paper §4.2) for many one-dimensional integrands at once:
/// <c>log ∫_a^b f ≈ logsumexp_i(log f(x_i) + log w_i)</c> with trapezoid weights <c>w = Δ·(½, 1, …, 1, ½)</c>.
/// The grid doubles (new points at the midpoints, old evaluations reused:
/// <c>T_2n = T_n / 2 + (Δ/2) Σ f(midpoints)</c>) until successive values agree to the tolerance;
/// integrands that have converged drop out of later rounds.
/// </summary>
internal static class LogTrapezoid
{
    private static readonly Scalar LogTwo = Math.Log(2).ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>
    /// Integrates <c>exp(logIntegrand)</c> over [<paramref name="low"/>[i], <paramref name="high"/>[i]] for each i.
    /// <paramref name="logIntegrand"/> receives the indices of the integrands still active and their points
    /// <c>[c, n]</c> (float64) and returns log f at those points, <c>[c, n]</c>. After each grid,
    /// <paramref name="progress"/> hears how many integrands have converged.
    /// </summary>
    public static TrapezoidResult Integrate(
        Func<long[], Tensor, Tensor> logIntegrand,
        IReadOnlyList<double> low,
        IReadOnlyList<double> high,
        TrapezoidOptions? options = null,
        IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(logIntegrand);
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        options ??= new TrapezoidOptions();
        options.Validate();
        if (low.Count != high.Count) throw new ArgumentException($"Got {low.Count} lower and {high.Count} upper limits.", nameof(high));
        for (int i = 0; i < low.Count; i++)
        {
            if (!(high[i] > low[i]) || double.IsInfinity(high[i] - low[i]))
            {
                throw new ArgumentException($"Integrand {i}: need finite limits with low < high (got [{low[i]}, {high[i]}]).", nameof(high));
            }
        }
        int count = low.Count;
        var logIntegral = new double[count];
        var points = new int[count];
        var converged = new bool[count];
        if (count == 0) return new TrapezoidResult(logIntegral, points, converged);

        using var scope = NewDisposeScope();
        var lowAll = tensor(low.ToArray(), float64).unsqueeze(1);                        // [C, 1]
        var widthAll = (tensor(high.ToArray(), float64) - tensor(low.ToArray(), float64)).unsqueeze(1); // [C, 1]
        long[] active = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        long n = options.InitialPoints;

        // First grid: ends at half weight.
        var t = linspace(0, 1, n, dtype: float64);                                        // [n]
        var endWeights = ones(n, float64);
        endWeights[0] = 0.5;
        endWeights[n - 1] = 0.5;
        using var firstIntervals = (n - 1).ToScalar();
        var logSpacing = widthAll.div(firstIntervals).log();                               // [C, 1]
        var logF = Evaluate(logIntegrand, active, lowAll, widthAll, t);                    // [C, n]
        var logT = logF.add(endWeights.log(), Scalars.One).add(logSpacing, Scalars.One).logsumexp(1); // [C]
        Store(logT, active, logIntegral);
        foreach (long i in active) points[i] = (int)n;
        progress?.Report(new EvaluationProgress($"quadrature, {n:N0} points", 0, count));

        while (active.Length > 0 && (2 * n) - 1 <= options.MaxPoints)
        {
            using var round = NewDisposeScope();
            var index = tensor(active);
            using var intervals = (n - 1).ToScalar();
            var midpoints = arange(Scalars.Zero, intervals, Scalars.One, float64).add(Half, Scalars.One).div(intervals); // [n − 1]
            var logFMid = Evaluate(logIntegrand, active, lowAll.index_select(0, index), widthAll.index_select(0, index), midpoints);
            var halfSpacing = logSpacing.index_select(0, index).squeeze(1).sub(LogTwo);   // [c]
            var previous = logT.index_select(0, index);
            var next = previous.sub(LogTwo).logaddexp(logFMid.logsumexp(1).add(halfSpacing, Scalars.One));
            var change = (next - previous).abs().data<double>().ToArray();
            Store(next, active, logIntegral);
            n = (2 * n) - 1;
            foreach (long i in active) points[i] = (int)n;
            var stillActive = new List<long>();
            for (int k = 0; k < active.Length; k++)
            {
                // NaN or ±∞ never converge; they stay until the cap and are reported as not converged.
                if (change[k] <= options.Tolerance) converged[active[k]] = true;
                else stillActive.Add(active[k]);
            }
            logT.index_copy_(0, index, next);
            logSpacing.index_copy_(0, index, logSpacing.index_select(0, index).sub(LogTwo));
            active = [.. stillActive];
            progress?.Report(new EvaluationProgress($"quadrature, {n:N0} points", converged.Count(c => c), count));
        }
        return new TrapezoidResult(logIntegral, points, converged);
    }

    private static Tensor Evaluate(Func<long[], Tensor, Tensor> logIntegrand, long[] active, Tensor low, Tensor width, Tensor unit)
    {
        var x = low.add(width * unit.unsqueeze(0), Scalars.One);                          // [c, n]
        var logF = logIntegrand(active, x).to(float64, CPU);
        if (!logF.shape.SequenceEqual(x.shape))
        {
            throw new InvalidOperationException($"The integrand returned shape [{string.Join(", ", logF.shape)}] for points [{string.Join(", ", x.shape)}].");
        }
        return logF;
    }

    private static void Store(Tensor values, long[] active, double[] target)
    {
        var array = values.data<double>().ToArray();
        for (int k = 0; k < active.Length; k++) target[active[k]] = array[k];
    }
}
