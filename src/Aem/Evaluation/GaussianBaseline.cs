using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// The honest baseline beside every score: a full-covariance Gaussian fitted to the training split by
/// maximum likelihood (mean, covariance with divisor N), in closed form and float64. A density model that does
/// not beat it has learned nothing a correlation matrix does not know. Stored with a run, so that
/// evaluation and scoring can report it without the training data. For a conditional model, whose rows are
/// <c>[x | c]</c>, the Gaussian is fitted to the whole rows and scores x given c:
/// <c>log N([x, c]) − log N(c)</c>, the log-density of the Gaussian's conditional p(x | c).
/// </summary>
/// <param name="Mean">μ, one value per column.</param>
/// <param name="Covariance">Σ, rows of the covariance matrix (plus a tiny ridge when the data are exactly collinear).</param>
public sealed record GaussianBaseline(double[] Mean, double[][] Covariance)
{
    /// <summary>The ridge added to Σ's diagonal, relative to its mean diagonal, only when Σ is singular.</summary>
    public const double RelativeRidge = 1e-9;

    /// <summary>
    /// C, the context values at the end of each row that <see cref="LogProb"/> conditions on (0: it scores
    /// whole rows).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int ConditioningFeatures { get; init; }

    /// <summary>
    /// Fits μ and Σ to <paramref name="data"/> <c>[N, D + C]</c> (N ≥ 2); with <paramref name="conditioningFeatures"/>
    /// C &gt; 0 the last C columns are the context the baseline conditions on.
    /// </summary>
    public static GaussianBaseline Fit(Tensor data, int conditioningFeatures = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dim() != 2 || data.shape[0] < 2) throw new ArgumentException($"Need [N ≥ 2, D] data, got [{string.Join(", ", data.shape)}].", nameof(data));
        using var scope = NewDisposeScope();
        var x = data.to(float64, CPU);
        var mean = x.mean([0]);                                                       // [D]
        var centred = x - mean;
        using var n = ((double)data.shape[0]).ToScalar();
        var covariance = centred.t().matmul(centred).div(n);                          // [D, D]
        int d = (int)data.shape[1];
        var values = covariance.data<double>().ToArray();
        var rows = Enumerable.Range(0, d).Select(i => values.AsSpan(i * d, d).ToArray()).ToArray();
        if (conditioningFeatures < 0 || conditioningFeatures >= d) throw new ArgumentOutOfRangeException(nameof(conditioningFeatures), conditioningFeatures, $"Need 0 ≤ C < {d}.");
        var baseline = new GaussianBaseline(mean.data<double>().ToArray(), rows) { ConditioningFeatures = conditioningFeatures };
        return baseline.Factor().Ridged ? baseline.WithRidge() : baseline;
    }

    /// <summary>Values per row: D, or D + C with a context (the dimension of μ and Σ).</summary>
    public int Features => Mean.Length;

    /// <summary>
    /// log N(x; μ, Σ) of every row of <paramref name="x"/> <c>[N, D]</c>, float64 on the CPU, <c>[N]</c>; with a
    /// context, log N(x | c) of rows <c>[x | c]</c>.
    /// </summary>
    public Tensor LogProb(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != Features) throw new ArgumentException($"Expected [N, {Features}], got [{string.Join(", ", x.shape)}].", nameof(x));
        if (ConditioningFeatures == 0) return JointLogProb(x);
        int c = ConditioningFeatures, first = Features - c;
        var context = new GaussianBaseline(
            Mean[first..],
            Covariance[first..].Select(row => row[first..]).ToArray());
        using var joint = JointLogProb(x);
        using var given = x.narrow(1, first, c);
        using var marginal = context.JointLogProb(given);
        return joint - marginal;
    }

    private Tensor JointLogProb(Tensor x)
    {
        var (cholesky, singular) = Factor();
        if (singular) throw new InvalidOperationException("The covariance matrix is not positive definite.");
        int d = Features;
        double logDet = 0;
        for (int i = 0; i < d; i++) logDet += 2 * Math.Log(cholesky[i, i]);
        double constant = -0.5 * ((d * Math.Log(2 * Math.PI)) + logDet);
        using var rows = x.to(float64, CPU).contiguous();
        var values = rows.data<double>().ToArray();
        long n = x.shape[0];
        var result = new double[n];
        var z = new double[d];
        for (long r = 0; r < n; r++)
        {
            // Solve L z = x − μ by forward substitution; the quadratic form is |z|².
            double quadratic = 0;
            for (int i = 0; i < d; i++)
            {
                double sum = values[(r * d) + i] - Mean[i];
                for (int k = 0; k < i; k++) sum -= cholesky[i, k] * z[k];
                z[i] = sum / cholesky[i, i];
                quadratic += z[i] * z[i];
            }
            result[r] = constant - (0.5 * quadratic);
        }
        return tensor(result, dtype: float64);
    }

    private GaussianBaseline WithRidge()
    {
        double ridge = RelativeRidge * Math.Max(Covariance.Select((row, i) => row[i]).Average(), double.Epsilon);
        return this with { Covariance = Covariance.Select((row, i) => row.Select((v, j) => i == j ? v + ridge : v).ToArray()).ToArray() };
    }

    /// <summary>The Cholesky factor L (Σ = L Lᵀ); Ridged when Σ was not positive definite and a ridge was needed.</summary>
    private (double[,] Cholesky, bool Ridged) Factor()
    {
        int d = Features;
        var l = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = Covariance[i][j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (!(sum > 0)) return (l, true);
                    l[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }
        return (l, false);
    }
}
