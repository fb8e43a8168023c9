using Aem.Nn;
using Aem.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Aem.Tests.Nn;

public class DropoutMaskTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Fill_DropsAFractionPAndScalesTheRestByOneOverOneMinusP(double p)
    {
        var mask = new float[1_000_003];
        DropoutMask.Fill(mask, key: 12345, p);
        float scale = (float)(1 / (1 - p));
        int dropped = 0, other = 0;
        foreach (float m in mask)
        {
            if (m == 0f) dropped++;
            else if (m != scale) other++;
        }
        Assert.Equal(0, other);
        double fraction = dropped / (double)mask.Length;
        double standardError = Math.Sqrt(p * (1 - p) / mask.Length);
        Assert.InRange(fraction, p - (5 * standardError), p + (5 * standardError));
    }

    [Fact]
    public void Fill_VectorAndScalarPathsGiveTheSameEntries()
    {
        // In a span of 19 entries, 16–18 come from the scalar tail; in a longer span, from the vector loop.
        var shortMask = new float[19];
        var longMask = new float[64];
        DropoutMask.Fill(shortMask, key: 0xDEADBEEFCAFEUL, 0.5);
        DropoutMask.Fill(longMask, key: 0xDEADBEEFCAFEUL, 0.5);
        Assert.Equal(longMask.Take(19), shortMask);
    }

    [Fact]
    public void Fill_NeighbouringEntriesAndKeysAreUncorrelated()
    {
        const int n = 200_000;
        var a = new float[n];
        var b = new float[n];
        DropoutMask.Fill(a, key: 1, 0.5);
        DropoutMask.Fill(b, key: 2, 0.5);
        // For independent fair coins both agreement rates are 1/2 with standard error 1/(2√n).
        double neighbours = Enumerable.Range(0, n - 1).Count(i => (a[i] == 0) == (a[i + 1] == 0)) / (double)(n - 1);
        double keys = Enumerable.Range(0, n).Count(i => (a[i] == 0) == (b[i] == 0)) / (double)n;
        double tolerance = 5 / (2 * Math.Sqrt(n));
        Assert.InRange(neighbours, 0.5 - tolerance, 0.5 + tolerance);
        Assert.InRange(keys, 0.5 - tolerance, 0.5 + tolerance);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Draw_HasTheShapeAndTypeOfItsInput_OnBothPaths(ScalarType dtype)
    {
        using var like = zeros([300, 7], dtype: dtype);
        using var mask = DropoutMask.Draw(like, 0.25);
        Assert.Equal(like.shape, mask.shape);
        Assert.Equal(dtype, mask.dtype);
        using var zero = mask.eq(0);
        using var kept = mask.isclose(tensor(4.0 / 3, dtype: dtype));
        Assert.True(zero.logical_or(kept).all().item<bool>());
    }

    [Fact]
    public void Draw_RejectsProbabilitiesOutsideTheOpenUnitInterval()
    {
        using var like = zeros(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => DropoutMask.Draw(like, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DropoutMask.Draw(like, 1));
    }
}

/// <summary>Seeding libtorch's global generator must fix the masks (the trainer relies on it).</summary>
[Collection(nameof(GlobalRandomState))]
public class DropoutMaskSeedingTests
{
    [Fact]
    public void Draw_RepeatsUnderTheSameGlobalSeed_AndChangesBetweenDraws()
    {
        using var like = zeros([64, 33]);
        random.manual_seed(7);
        using var first = DropoutMask.Draw(like, 0.5);
        using var second = DropoutMask.Draw(like, 0.5);
        random.manual_seed(7);
        using var again = DropoutMask.Draw(like, 0.5);
        Assert.True(first.Equals(again));
        Assert.False(first.Equals(second));
    }
}

/// <summary>Draws masks from libtorch's global generator, so kept away from tests that seed it.</summary>
[Collection(nameof(GlobalRandomState))]
public class ResidualBlockDropoutTests
{
    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void ResidualBlock_InTraining_AveragesToItsEvaluationOutput(Activation activation)
    {
        // The block is linear in the mask, so inverted dropout leaves its expected output unchanged.
        using var block = ResidualBlock.Dense(8, activation, dropoutProbability: 0.3);
        using var generator = new Generator(17, CPU);
        using (no_grad())
        {
            foreach (var parameter in block.parameters()) parameter.uniform_(-0.5, 0.5, generator: generator);
        }
        using var input = linspace(-2, 2, 5 * 8).reshape(5, 8);
        block.eval();
        using var expected = block.forward(input).to(float64);
        block.train();
        using var sum = zeros_like(expected);
        using var sumSquares = zeros_like(expected);
        const int draws = 4_000;
        using (no_grad())
        {
            for (int i = 0; i < draws; i++)
            {
                using var output = block.forward(input).to(float64);
                sum.add_(output);
                sumSquares.add_(output.square());
            }
        }
        using var mean = sum / draws;
        using var standardError = (sumSquares / draws - mean.square()).clamp_min(0).sqrt() / Math.Sqrt(draws);
        // Outputs that no mask reaches (all their hidden units inactive) match to float32 rounding.
        using var z = (mean - expected).abs() / (standardError + (1e-5 * (expected.abs() + 1)));
        Assert.True(z.max().item<double>() < 5, $"largest deviation {z.max().item<double>():F2} standard errors");
    }
}
