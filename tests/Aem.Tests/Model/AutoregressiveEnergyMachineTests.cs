using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Model;

public class AutoregressiveEnergyMachineTests
{
    private const int Features = 3;

    [Fact]
    public void LogNormalizer_SendsNoGradientToProposalOutputs()
    {
        using var model = TestModels.Aem(TestModels.Small(Features), seed: 1);
        using var scope = NewDisposeScope();
        var x = Data(8, seed: 2);
        using var generator = new Generator(3, CPU);
        var output = model.Forward(x, samples: 16, generator);
        output.LogNormalizer.sum().backward();

        // The final ResMADE layer's rows are the outputs: per dimension, K context rows then 3M
        // proposal rows (logits, means, raw scales). Its gradient is the outputs' gradient
        // times the (shared) hidden activations, so a zero row means a zero output gradient.
        var (context, proposal) = FinalLayerGradients(model);
        Assert.Equal(0.0, proposal.abs().max().ToDouble());
        Assert.True(context.abs().max().ToDouble() > 0, "log Ẑ should train the contexts");
    }

    [Fact]
    public void LogProposal_TrainsProposalOutputs()
    {
        // The other half of the routing, and proof that the zero above is not structural.
        using var model = TestModels.Aem(TestModels.Small(Features), seed: 1);
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        var output = model.Forward(Data(8, seed: 2), samples: 16, generator);
        output.LogProposal.sum().backward();
        var (context, proposal) = FinalLayerGradients(model);
        Assert.Equal(0.0, context.abs().max().ToDouble());
        Assert.True(proposal.abs().max().ToDouble() > 0);
    }

    [Fact]
    public void TrainingLoss_GivesEveryParameterAFiniteNonZeroGradient()
    {
        using var model = TestModels.Aem(TestModels.Small(Features), seed: 4);
        model.train();
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        Loss(model, Data(16, seed: 6), generator).backward();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} has no gradient");
            Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(parameter.grad.abs().max().ToDouble() > 0, $"{name} has an all-zero gradient");
        }
    }

    [Fact]
    public void TrainingLoss_AtInitialisation_ReachesAllButTheLayersBehindZeroedOnes()
    {
        // With the paper's initialisation each residual block's second layer is zero, so its first
        // layer gets exactly zero gradient at step 0 (it still gets one, not null, and a
        // non-zero one after the first update moves the second layer).
        using var model = new AutoregressiveEnergyMachine(TestModels.Small(Features));
        model.to(float64);
        using var scope = NewDisposeScope();
        using var generator = new Generator(7, CPU);
        Loss(model, Data(16, seed: 8), generator).backward();
        var zeroGradient = new List<string>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} has no gradient");
            Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            if (parameter.grad.abs().max().ToDouble() == 0) zeroGradient.Add(name);
        }
        Assert.Equal(
            model.named_parameters().Select(p => p.name).Where(n => n.Contains(".linear1.", StringComparison.Ordinal)),
            zeroGradient);
    }

    [Fact]
    public void EvalUnderNoGrad_IsDeterministic_GivenTheSameGenerator()
    {
        using var model = TestModels.Aem(TestModels.Small(Features, dropout: 0.3), seed: 9);
        using var scope = NewDisposeScope();
        var x = Data(8, seed: 10);
        model.eval();
        using (no_grad())
        {
            using var g1 = new Generator(11, CPU);
            using var g2 = new Generator(11, CPU);
            var a = model.Forward(x, 32, g1).LogDensity;
            var b = model.Forward(x, 32, g2).LogDensity;
            Assert.True(a.Equals(b), "eval-mode log p̂ differs between identically seeded runs");
        }
        // In training mode dropout changes the result: the comparison above is not vacuous.
        model.train();
        using var g3 = new Generator(11, CPU);
        using var g4 = new Generator(11, CPU);
        Assert.False(model.Forward(x, 32, g3).LogDensity.Equals(model.Forward(x, 32, g4).LogDensity));
    }

    [Fact]
    public void Forward_ReturnsNamedShapes_ThatAddUp()
    {
        using var model = TestModels.Aem(TestModels.Small(Features), seed: 12);
        using var scope = NewDisposeScope();
        using var generator = new Generator(13, CPU);
        var output = model.Forward(Data(5, seed: 14), samples: 7, generator);
        Assert.Equal(new long[] { 5 }, output.LogDensity.shape);
        Assert.Equal(new long[] { 5 }, output.LogProposal.shape);
        Assert.Equal(new long[] { 5, Features }, output.LogEnergy.shape);
        Assert.Equal(new long[] { 5, Features }, output.LogNormalizer.shape);
        Assert.Equal(new long[] { 5, Features }, output.LogProposalPerFeature.shape);
        Assert.True(output.LogDensity.allclose((output.LogEnergy - output.LogNormalizer).sum(-1), rtol: 0, atol: 1e-12));
        Assert.True(output.LogProposal.allclose(output.LogProposalPerFeature.sum(-1), rtol: 0, atol: 1e-12));
        Assert.True(output.LogEnergy.le(0).all().item<bool>(), "log φ = −softplus(·) must be ≤ 0");
    }

    [Theory]
    [InlineData(new long[] { 4, Features + 1 })]
    [InlineData(new long[] { 4 })]
    [InlineData(new long[] { 4, Features, 1 })]
    public void Forward_RejectsWrongInputShape(long[] shape)
    {
        using var model = TestModels.Aem(TestModels.Small(Features), seed: 15);
        using var x = zeros(shape, dtype: float64);
        var ex = Assert.Throws<ArgumentException>(() => model.Forward(x, samples: 4));
        Assert.Contains($"Expected data of shape [B, {Features}]", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"[{string.Join(", ", shape)}]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UniformProposalModel_HasLogQOfMinusDLog8()
    {
        using var model = TestModels.Aem(TestModels.Small(Features, Aem.Model.ProposalKind.Uniform), seed: 16);
        using var scope = NewDisposeScope();
        Assert.Equal(TestModels.Small(Features).ContextFeatures, model.Options.OutputsPerFeature);
        using var generator = new Generator(17, CPU);
        var inside = (rand([6, Features], dtype: float64, generator: generator) * 7.9) - 3.95;
        var output = model.Forward(inside, samples: 8, generator);
        Assert.True(output.LogProposal.allclose(full(6, -Features * Math.Log(8), dtype: float64), rtol: 0, atol: 1e-12));
        Assert.True(model.LogProposal(inside).allclose(output.LogProposal));
        var outside = inside.clone();
        outside[0, 1] = tensor(5.0, dtype: float64);
        Assert.Equal(double.NegativeInfinity, model.LogProposal(outside)[0].ToDouble());
    }

    [Fact]
    public void Forward_MatchesLogLikelihoodEstimator_GivenTheSameSamples()
    {
        // One batch of points in one sample chunk: Forward gets the generator the estimator gives that
        // batch, so both draw the same proposal samples.
        using var model = TestModels.Aem(TestModels.Small(Features), seed: 18);
        model.eval();
        using var scope = NewDisposeScope();
        var x = Data(6, seed: 19);
        using var g2 = new Generator(20, CPU);
        using var seedSource = new Generator(20, CPU);
        using var g1 = LogLikelihoodEstimator.BatchGenerator(Aem.Randomness.Seeds.Draw(seedSource, CPU), batch: 0, CPU);
        Tensor forward;
        using (no_grad()) forward = model.Forward(x, samples: 50, g1).LogDensity;
        using var estimated = LogLikelihoodEstimator.Estimate(model, x, samples: 50, g2);
        Assert.True(forward.allclose(estimated.LogDensity, rtol: 0, atol: 1e-10));
    }

    private static Tensor Data(int rows, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        return randn([rows, Features], dtype: float64, generator: generator);
    }

    private static Tensor Loss(AutoregressiveEnergyMachine model, Tensor x, Generator generator)
    {
        var output = model.Forward(x, samples: 16, generator);
        return (output.LogDensity.mean() + output.LogProposal.mean()).neg();
    }

    /// <summary>Gradients of the final ResMADE layer (weight and bias side by side), split into context and proposal rows.</summary>
    private static (Tensor Context, Tensor Proposal) FinalLayerGradients(AutoregressiveEnergyMachine model)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var weight = parameters["resmade.final.weight"].grad!;
        var bias = parameters["resmade.final.bias"].grad!;
        int k = model.Options.ContextFeatures, p = model.Options.OutputsPerFeature;
        var rows = cat([weight, bias.unsqueeze(1)], 1).view(Features, p, -1);                    // [D, P, H+1]
        return (rows.narrow(1, 0, k), rows.narrow(1, k, p - k));
    }
}
