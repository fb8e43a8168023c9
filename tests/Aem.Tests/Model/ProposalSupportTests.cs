using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Model;

/// <summary>The model's density is zero outside its proposal's support, in training's pass and in evaluation.</summary>
public class ProposalSupportTests
{
    private static readonly double[,] Points = { { 0.5, 0.5 }, { 4.5, 0.0 }, { -1.0, -3.9 }, { 1.0, -5.0 } };

    [Fact]
    public void Estimate_OutsideTheUniformBox_IsMinusInfinity_InsideFinite()
    {
        using var model = TestModels.Aem(TestModels.Small(2, ProposalKind.Uniform), seed: 3);
        model.eval();
        using var x = tensor(Points, dtype: float64);
        using var noGrad = no_grad();
        using var generator = new Generator(1, CPU);
        using var output = LogLikelihoodEstimator.Estimate(model, x, samples: 50, generator);
        double[] logP = output.LogDensity.data<double>().ToArray();
        double[] bounded = output.BoundedLogDensity!.data<double>().ToArray();
        double[] ess = output.LogEffectiveSampleSize!.exp().data<double>().ToArray();
        Assert.True(double.IsFinite(logP[0]) && double.IsFinite(logP[2]), string.Join(", ", logP));
        Assert.Equal(double.NegativeInfinity, logP[1]);
        Assert.Equal(double.NegativeInfinity, logP[3]);
        Assert.Equal(double.NegativeInfinity, bounded[1]);
        Assert.Equal(double.NegativeInfinity, bounded[3]);
        // The outside point carries no weight: its ESS is the samples' alone, never NaN.
        Assert.All(ess, e => Assert.InRange(e, 1.0, 51.0));
    }

    [Fact]
    public void Forward_OutsideTheUniformBox_IsMinusInfinity()
    {
        using var model = TestModels.Aem(TestModels.Small(2, ProposalKind.Uniform), seed: 4);
        model.eval();
        using var x = tensor(Points, dtype: float64);
        using var noGrad = no_grad();
        using var generator = new Generator(1, CPU);
        using var output = model.Forward(x, samples: 20, generator);
        double[] logP = output.LogDensity.data<double>().ToArray();
        Assert.True(double.IsFinite(logP[0]) && double.IsFinite(logP[2]));
        Assert.Equal(double.NegativeInfinity, logP[1]);
        Assert.Equal(double.NegativeInfinity, logP[3]);
    }

    [Fact]
    public void Estimate_MixtureProposal_IsFiniteFarAway()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 5);
        model.eval();
        using var x = tensor(Points, dtype: float64);
        using var noGrad = no_grad();
        using var generator = new Generator(1, CPU);
        using var output = LogLikelihoodEstimator.Estimate(model, x, samples: 50, generator);
        Assert.All(output.LogDensity.data<double>().ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void FindOutside_CountsRows_AndNamesTheFirstValue()
    {
        using var x = tensor(Points, dtype: float32);
        var found = ProposalSupport.FindOutside(TestModels.Small(2, ProposalKind.Uniform), x);
        Assert.NotNull(found);
        Assert.Equal(2, found.Rows);
        Assert.Equal(1, found.FirstRow);
        Assert.Equal(0, found.Column);
        Assert.Equal(4.5, found.Value, 6);
        Assert.Null(ProposalSupport.FindOutside(TestModels.Small(2), x));
        using var inside = tensor(new double[,] { { 0, 0 }, { -4, 4 } }, dtype: float32);
        Assert.Null(ProposalSupport.FindOutside(TestModels.Small(2, ProposalKind.Uniform), inside));
    }
}
