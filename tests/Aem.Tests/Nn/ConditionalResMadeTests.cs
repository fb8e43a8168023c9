using Aem.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Nn;

/// <summary>
/// A ResMADE with a context c (issue 16): rows <c>[x | c]</c>; output d must still ignore x_d..x_D, and must
/// depend on c, for every d including the first.
/// </summary>
public class ConditionalResMadeTests
{
    private const int OutputsPerFeature = 5;
    private const int Batch = 3;

    /// <summary>(D, C, H): one to many dimensions and context values, H ≥ D so every degree has units.</summary>
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 4 }, { 1, 3, 8 },
        { 2, 1, 16 }, { 3, 2, 16 },
        { 6, 1, 16 }, { 21, 4, 32 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Output_IgnoresCurrentAndLaterFeatures_AndOtherRows_ButSeesTheContext(int features, int context, int width)
    {
        // tanh: no flat regions, so every connection the masks allow shows up as a non-zero derivative.
        using var made = RandomResMade(features, context, width, Activation.Tanh, seed: (ulong)(100 * features + context));
        using var scope = NewDisposeScope();
        var gradients = Jacobian(made, features + context, seed: 7);                     // [B, D, B, D + C]
        for (int b = 0; b < Batch; b++)
        {
            for (int d = 0; d < features; d++)
            {
                var g = gradients[b, d];                                                  // [B, D + C]
                // Exactly zero: the masks, not a tolerance.
                Assert.Equal(0.0, g[b].narrow(0, d, features - d).abs().max().item<double>());
                for (int other = 0; other < Batch; other++)
                {
                    if (other != b) Assert.Equal(0.0, g[other].abs().max().item<double>());
                }
                var onContext = g[b].narrow(0, features, context).abs();                  // [C]
                Assert.True(onContext.min().item<double>() > 0, $"output {d + 1} of row {b} does not depend on every context value");
                if (d > 0) Assert.True(g[b].narrow(0, 0, d).abs().min().item<double>() > 0, $"output {d + 1} of row {b} misses one of x_<{d + 1}");
            }
        }
    }

    [Fact]
    public void FirstDimension_DependsOnTheContext_ButNotOnX()
    {
        using var made = RandomResMade(3, 2, 16, Activation.Tanh, seed: 3);
        using var scope = NewDisposeScope();
        using var generator = new Generator(9, CPU);
        var context = randn(4, 2, dtype: float64, generator: generator);
        var a = made.forward(cat([randn(4, 3, dtype: float64, generator: generator), context], 1)).select(1, 0);  // [4, P]
        var b = made.forward(cat([randn(4, 3, dtype: float64, generator: generator), context], 1)).select(1, 0);
        Assert.True(a.Equals(b), "dimension 1's outputs changed with x");
        var other = made.forward(cat([randn(4, 3, dtype: float64, generator: generator), context.flip(0)], 1)).select(1, 0);
        Assert.False(a.allclose(other), "dimension 1's outputs did not change with the context");
    }

    [Fact]
    public void Forward_RefusesRowsWithoutTheirContext()
    {
        using var made = new ResMade(2, 8, OutputsPerFeature, conditioningFeatures: 3);
        using var x = zeros(4, 2);
        var error = Assert.Throws<ArgumentException>(() => made.forward(x));
        Assert.Contains("[B, 5]", error.Message, StringComparison.Ordinal);
        using var rows = zeros(4, 5);
        using var y = made.forward(rows);
        Assert.Equal(new long[] { 4, 2, OutputsPerFeature }, y.shape);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 7)]
    public void ConditionalHiddenDegrees_RunFromZero_SoDimensionOneHasUnits(int features, int width)
    {
        var degrees = MadeDegrees.Hidden(features, width, conditional: true);
        Assert.Equal(Enumerable.Range(0, width).Select(k => k % features), degrees);
        Assert.Contains(0, degrees);
        Assert.DoesNotContain(features, degrees);
        Assert.Equal([1, 2, 3, 0, 0], MadeDegrees.Inputs(3, 2));
    }

    private static ResMade RandomResMade(int features, int context, int width, Activation activation, ulong seed)
    {
        var made = new ResMade(features, width, OutputsPerFeature, blocks: 2, dropoutProbability: 0, activation: activation, conditioningFeatures: context);
        made.to(float64);
        TestModels.Randomize(made, seed);
        return made;
    }

    /// <summary>∂(r_{b,d} · y[b, d, :]) / ∂rows for every (b, d), with random r_{b,d}: <c>[B, D, B, D + C]</c>.</summary>
    private static Tensor Jacobian(ResMade made, int width, ulong seed)
    {
        int features = made.Features;
        using var generator = new Generator(seed, CPU);
        var rows = randn(Batch, width, dtype: float64, generator: generator).requires_grad_();
        var y = made.forward(rows);                                                          // [B, D, P]
        var weights = randn(Batch, features, OutputsPerFeature, dtype: float64, generator: generator);
        var gradients = new List<Tensor>();
        for (int b = 0; b < Batch; b++)
        {
            for (int d = 0; d < features; d++)
            {
                var s = (y[b, d] * weights[b, d]).sum();
                gradients.Add(torch.autograd.grad([s], [rows], retain_graph: true)[0]);
            }
        }
        return stack(gradients).view(Batch, features, Batch, width);
    }
}
