using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// A conditional density with a closed-form truth, for p(x | c) models: a context c ~ U(−2, 2);
/// x1 | c ~ N(sin 3c, 0.1²); x2 | x1, c ~ Laplace(x1·c, 0.2). The mean of x1 swings through two periods
/// over the context's range with a narrow spread, and x2 has a kinked (Laplace) peak whose place moves with
/// x1 and c. Rows are <c>[x1, x2, c]</c>: the data, then the context.
/// </summary>
public static class ConditionalSine
{
    /// <summary>The task's name in <see cref="DataCatalog"/>.</summary>
    public const string Name = "conditional-sine";

    /// <summary>D, the data values per row.</summary>
    public const int Features = 2;

    /// <summary>C, the context values per row.</summary>
    public const int ContextFeatures = 1;

    /// <summary>The standard deviation of x1 given c.</summary>
    public const double X1Scale = 0.1;

    /// <summary>The Laplace scale b of x2 given x1 and c.</summary>
    public const double X2Scale = 0.2;

    /// <summary>The context's range.</summary>
    public const double ContextLow = -2, ContextHigh = 2;

    /// <summary>The data columns' names.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = ["x1", "x2"];

    /// <summary>The context column's name.</summary>
    public static IReadOnlyList<string> ContextColumnNames { get; } = ["c"];

    /// <summary><paramref name="count"/> rows <c>[x1, x2, c]</c> drawn from a seeded generator.</summary>
    public static float[,] Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var result = new float[count, 3];
        for (int i = 0; i < count; i++)
        {
            double c = ContextLow + ((ContextHigh - ContextLow) * random.NextDouble());
            double x1 = X1Mean(c) + (X1Scale * Normal(random));
            // Laplace by a signed exponential; 1 − U keeps the logarithm finite.
            double exponential = -Math.Log(1.0 - random.NextDouble());
            double x2 = X2Location(x1, c) + ((random.NextDouble() < 0.5 ? -1 : 1) * X2Scale * exponential);
            result[i, 0] = (float)x1;
            result[i, 1] = (float)x2;
            result[i, 2] = (float)c;
        }
        return result;
    }

    /// <summary>The rows as a float32 tensor <c>[count, 3]</c>.</summary>
    public static Tensor GenerateTensor(int count, int seed) => tensor(Generate(count, seed));

    /// <summary>E[x1 | c] = sin 3c.</summary>
    public static double X1Mean(double c) => Math.Sin(3 * c);

    /// <summary>The location of x2 given x1 and c: x1·c.</summary>
    public static double X2Location(double x1, double c) => x1 * c;

    /// <summary>log p(x1 | c) = log N(x1; sin 3c, 0.1²).</summary>
    public static double LogDensityX1(double x1, double c)
    {
        double z = (x1 - X1Mean(c)) / X1Scale;
        return (-0.5 * z * z) - Math.Log(X1Scale) - (0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>log p(x2 | x1, c) = log Laplace(x2; x1·c, 0.2).</summary>
    public static double LogDensityX2(double x2, double x1, double c) =>
        (-Math.Abs(x2 - X2Location(x1, c)) / X2Scale) - Math.Log(2 * X2Scale);

    /// <summary>The true log p(x1, x2 | c).</summary>
    public static double LogDensity(double x1, double x2, double c) => LogDensityX1(x1, c) + LogDensityX2(x2, x1, c);

    /// <summary>The true log p(x | c) of every row <c>[x1, x2, c]</c> of <paramref name="rows"/>, float64 on the CPU, <c>[N]</c>.</summary>
    public static Tensor LogDensity(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.dim() != 2 || rows.shape[1] != Features + ContextFeatures)
        {
            throw new ArgumentException($"Expected rows [N, 3] (x1, x2, c), got [{string.Join(", ", rows.shape)}].", nameof(rows));
        }
        using var cpu = rows.to(float64, CPU).contiguous();
        var values = cpu.data<double>().ToArray();
        var result = new double[rows.shape[0]];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = LogDensity(values[3 * i], values[(3 * i) + 1], values[(3 * i) + 2]);
        }
        return tensor(result, dtype: float64);
    }

    private static double Normal(Random random)
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
