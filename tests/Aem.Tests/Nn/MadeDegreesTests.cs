using Aem.Nn;
using static TorchSharp.torch;

namespace Aem.Tests.Nn;

public class MadeDegreesTests
{
    [Theory]
    [InlineData(1, 4, new[] { 0, 0, 0, 0 })]
    [InlineData(2, 3, new[] { 1, 1, 1 })]
    [InlineData(3, 5, new[] { 1, 2, 1, 2, 1 })]
    [InlineData(6, 12, new[] { 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2 })]
    [InlineData(21, 3, new[] { 1, 2, 3 })]
    public void Hidden_FollowsSequentialFormula(int features, int width, int[] expected)
    {
        Assert.Equal(expected, MadeDegrees.Hidden(features, width));
    }

    [Fact]
    public void Inputs_AreOneToD_AndOutputsRepeatEachDegreePTimes()
    {
        Assert.Equal(new[] { 1, 2, 3, 4 }, MadeDegrees.Inputs(4));
        Assert.Equal(new[] { 1, 1, 1, 2, 2, 2 }, MadeDegrees.Outputs(2, 3));
    }

    [Fact]
    public void Mask_ConnectsHigherOrEqualDegrees_OrStrictlyHigherWhenStrict()
    {
        int[] inDegrees = [1, 2, 3];
        int[] outDegrees = [2, 1, 3, 2];
        using var loose = MadeDegrees.Mask(inDegrees, outDegrees, strict: false);
        using var strict = MadeDegrees.Mask(inDegrees, outDegrees, strict: true);
        Assert.Equal(new long[] { 4, 3 }, loose.shape);
        for (int o = 0; o < outDegrees.Length; o++)
        {
            for (int i = 0; i < inDegrees.Length; i++)
            {
                Assert.Equal(outDegrees[o] >= inDegrees[i] ? 1f : 0f, loose[o, i].item<float>());
                Assert.Equal(outDegrees[o] > inDegrees[i] ? 1f : 0f, strict[o, i].item<float>());
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(2, 5, 2)]
    [InlineData(3, 2, 4)]
    [InlineData(6, 3, 2)]
    [InlineData(6, 8, 3)]
    [InlineData(21, 30, 2)]
    public void MaskChain_IsStrictlyLowerTriangular(int features, int width, int hiddenLayers)
    {
        // Input mask, hidden masks, then the strict output mask (one output per feature): the
        // binarised product says which inputs can reach which outputs.
        var input = MadeDegrees.Inputs(features);
        var hidden = MadeDegrees.Hidden(features, width);
        var output = MadeDegrees.Outputs(features, 1);
        using var scope = NewDisposeScope();
        var path = MadeDegrees.Mask(input, hidden, strict: false).to(float64);
        for (int l = 0; l < hiddenLayers; l++) path = MadeDegrees.Mask(hidden, hidden, strict: false).to(float64).matmul(path);
        path = MadeDegrees.Mask(hidden, output, strict: true).to(float64).matmul(path).gt(0); // [D, D]
        var strictlyLower = ones(features, features, dtype: ScalarType.Bool).tril(-1);
        Assert.False(path.logical_and(strictlyLower.logical_not()).any().item<bool>(), "an output sees its own or a later input");
        if (width >= features - 1)
        {
            Assert.True(path.Equals(strictlyLower), "with every degree present, output d should see every x_<d");
        }
    }
}
