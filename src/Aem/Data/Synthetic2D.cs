using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// The paper's two-dimensional densities (SPEC §2.1), generated from a seed. All draws are
/// independent uniforms U[0,1) and standard normals N.
/// </summary>
public static class Synthetic2D
{
    /// <summary>The task names <see cref="Generate"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["spirals", "checkerboard", "diamond"];

    /// <summary>True log-density of checkerboard on its support: uniform on half of [−4, 4]², so −log 32.</summary>
    public static double CheckerboardLogDensity => -Math.Log(32);

    /// <summary>Generates <paramref name="count"/> points <c>[count, 2]</c> of the task <paramref name="name"/> (one of <see cref="Names"/>) from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    public static float[,] Generate(string name, int count, int seed) => name switch
    {
        "spirals" => Spirals(count, seed),
        "checkerboard" => Checkerboard(count, seed),
        "diamond" => Diamond(count, seed),
        _ => throw new ArgumentException($"Unknown 2-D task '{name}'; choose one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Generates <paramref name="count"/> points as a float32 tensor <c>[count, 2]</c>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="count">Points to generate.</param>
    /// <param name="seed">Seeds every draw; the same seed gives the same points.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    public static Tensor GenerateTensor(string name, int count, int seed) => tensor(Generate(name, count, seed));

    /// <summary>Two interleaved spirals (after Grathwohl et al., 2019).</summary>
    /// <param name="count">Points to generate, <c>[count, 2]</c>.</param>
    /// <param name="seed">Seeds every draw.</param>
    public static float[,] Spirals(int count, int seed)
    {
        var random = new Random(seed);
        var result = new float[count, 2];
        int half = count / 2;
        for (int i = 0; i < count; i++)
        {
            double t = Math.Sqrt(random.NextDouble()) * 900 * 2 * Math.PI / 360;
            double x = (-0.7 * Math.Cos(t) * t) + (random.NextDouble() * 0.35);
            double y = (0.7 * Math.Sin(t) * t) + (random.NextDouble() * 0.35);
            double sign = i < half ? 1 : -1;
            result[i, 0] = (float)((sign * x / 3) + (0.09 * Normal(random)));
            result[i, 1] = (float)((sign * y / 3) + (0.09 * Normal(random)));
        }
        return result;
    }

    /// <summary>An 8×8 checkerboard on [−4, 4]², uniform on its dark squares.</summary>
    /// <param name="count">Points to generate, <c>[count, 2]</c>.</param>
    /// <param name="seed">Seeds every draw.</param>
    public static float[,] Checkerboard(int count, int seed)
    {
        var random = new Random(seed);
        var result = new float[count, 2];
        for (int i = 0; i < count; i++)
        {
            double x1 = (8 * random.NextDouble()) - 4;
            double x2 = random.NextDouble() + (2 * (random.Next(4) - 2));
            // Non-negative remainder: C#'s % would give −1 for odd negative integers.
            x2 += ((long)Math.Floor(x1) % 2 + 2) % 2;
            result[i, 0] = (float)x1;
            result[i, 1] = (float)x2;
        }
        return result;
    }

    /// <summary>225 Gaussians (σ = 0.06) on a 15×15 grid over [−2.5, 2.5]², rotated by 45°.</summary>
    /// <param name="count">Points to generate, <c>[count, 2]</c>.</param>
    /// <param name="seed">Seeds every draw.</param>
    public static float[,] Diamond(int count, int seed)
    {
        var random = new Random(seed);
        var result = new float[count, 2];
        double c = Math.Cos(Math.PI / 4), s = Math.Sin(Math.PI / 4);
        for (int i = 0; i < count; i++)
        {
            double mx = 2.5 - (5.0 * random.Next(15) / 14);
            double my = 2.5 - (5.0 * random.Next(15) / 14);
            double x = mx + (0.06 * Normal(random));
            double y = my + (0.06 * Normal(random));
            result[i, 0] = (float)((c * x) - (s * y));
            result[i, 1] = (float)((s * x) + (c * y));
        }
        return result;
    }

    private static double Normal(Random random)
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
