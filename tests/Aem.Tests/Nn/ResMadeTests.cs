using Aem.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Nn;

public class ResMadeTests
{
    private const int OutputsPerFeature = 5;
    private const int Batch = 3;

    /// <summary>(D, H) pairs: every D of SPEC §4, with H &lt; D and H ≥ D.</summary>
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 1 }, { 1, 8 },
        { 2, 1 }, { 2, 16 },
        { 3, 2 }, { 3, 16 },
        { 6, 3 }, { 6, 16 },
        { 21, 5 }, { 21, 32 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Output_DoesNotDependOnCurrentOrLaterFeatures_NorOtherRows(int features, int width)
    {
        using var made = RandomResMade(features, width, Activation.Relu, seed: (ulong)(100 * features + width));
        using var scope = NewDisposeScope();
        var gradients = Jacobian(made, features, seed: 7); // [B, D, B, D]
        for (int b = 0; b < Batch; b++)
        {
            for (int d = 0; d < features; d++)
            {
                var g = gradients[b, d];                                                 // [B, D]
                // Exact zeros, not a tolerance: masked weights contribute exactly nothing.
                Assert.Equal(0.0, g[b].narrow(0, d, features - d).abs().max().item<double>());
                for (int other = 0; other < Batch; other++)
                {
                    if (other != b) Assert.Equal(0.0, g[other].abs().max().item<double>());
                }
                // Not vacuous: the last dimension, which every hidden unit can reach, does see x_<D.
                // (Each earlier x is checked with tanh below: a dead ReLU unit can hide one here.)
                if (d == features - 1 && d >= 1 && width >= features)
                {
                    Assert.True(g[b].narrow(0, 0, d).abs().max().item<double>() > 0, $"output {d + 1} of row {b} sees none of x_<{d + 1}");
                }
            }
        }
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(6, 16)]
    [InlineData(21, 32)]
    public void Output_DependsOnEveryEarlierFeature_WhenWide(int features, int width)
    {
        // tanh has no flat regions, so every allowed connection shows up as a non-zero derivative
        // (with ReLU a dead unit can hide one for a particular x).
        using var made = RandomResMade(features, width, Activation.Tanh, seed: 11);
        using var scope = NewDisposeScope();
        var gradients = Jacobian(made, features, seed: 3);
        for (int b = 0; b < Batch; b++)
        {
            var own = stack(Enumerable.Range(0, features).Select(d => gradients[b, d, b]).ToArray()); // [D, D]
            var connected = own.ne(0);
            var strictlyLower = ones(features, features, dtype: ScalarType.Bool).tril(-1);
            Assert.True(connected.Equals(strictlyLower), $"row {b}: dependence pattern is not the full strict lower triangle");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaskProduct_IsStrictlyLowerTriangular_AndFullWhenWide(int features, int width)
    {
        using var made = new ResMade(features, width, OutputsPerFeature, blocks: 2);
        using var scope = NewDisposeScope();
        var masks = made.Masks().ToList();
        Assert.Equal(1 + (2 * 2) + 1, masks.Count);
        var path = masks[0].to(float64);
        foreach (var mask in masks.Skip(1)) path = mask.to(float64).matmul(path).gt(0).to(float64); // [out, D]
        var perDimension = path.view(features, OutputsPerFeature, features).amax(1).gt(0);     // [D, D]
        var strictlyLower = ones(features, features, dtype: ScalarType.Bool).tril(-1);
        Assert.False(perDimension.logical_and(strictlyLower.logical_not()).any().item<bool>(), "a dimension's outputs see its own or a later input");
        if (width >= features)
        {
            Assert.True(perDimension.Equals(strictlyLower), "with H ≥ D every x_<d should reach dimension d");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FirstDimensionOutputs_AreConstant(int features, int width)
    {
        using var made = RandomResMade(features, width, Activation.Relu, seed: 5);
        using var scope = NewDisposeScope();
        using var generator = new Generator(9, CPU);
        var a = made.forward(randn(4, features, dtype: float64, generator: generator) * 3).select(1, 0);  // [4, P]
        var b = made.forward(randn(4, features, dtype: float64, generator: generator) * 3).select(1, 0);
        Assert.True(a.Equals(b), "dimension 1's outputs changed with x");
        Assert.True(a.Equals(a[0].expand(4, OutputsPerFeature)), "dimension 1's outputs differ between rows");
    }

    [Fact]
    public void Forward_HasShapeBatchByFeaturesByOutputs()
    {
        using var made = new ResMade(4, 8, OutputsPerFeature);
        using var x = zeros(7, 4);
        using var y = made.forward(x);
        Assert.Equal(new long[] { 7, 4, OutputsPerFeature }, y.shape);
    }

    private static ResMade RandomResMade(int features, int width, Activation activation, ulong seed)
    {
        var made = new ResMade(features, width, OutputsPerFeature, blocks: 2, dropoutProbability: 0, activation: activation);
        made.to(float64);
        // Also perturbs the zero-initialised second layers, so the blocks are not the identity.
        TestModels.Randomize(made, seed);
        return made;
    }

    /// <summary>
    /// ∂(r_{b,d} · y[b, d, :]) / ∂x for every (b, d), with random r_{b,d} ∈ ℝ^P: zero iff every one of
    /// the P outputs has zero derivative (an exact cancellation has probability zero). <c>[B, D, B, D]</c>.
    /// </summary>
    private static Tensor Jacobian(ResMade made, int features, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        var x = randn(Batch, features, dtype: float64, generator: generator).requires_grad_();
        var y = made.forward(x);                                                                  // [B, D, P]
        var weights = randn(Batch, features, OutputsPerFeature, dtype: float64, generator: generator);
        var rows = new List<Tensor>();
        for (int b = 0; b < Batch; b++)
        {
            for (int d = 0; d < features; d++)
            {
                var s = (y[b, d] * weights[b, d]).sum();
                rows.Add(torch.autograd.grad([s], [x], retain_graph: true)[0]);
            }
        }
        return stack(rows).view(Batch, features, Batch, features);
    }
}
