using Aem.Evaluation;
using Aem.Model;
using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

public sealed class ImportanceWeightedBoundTests
{
    /// <summary>All 8 binary images of three pixels, each repeated <paramref name="repeats"/> times: [8·r, 3].</summary>
    private static Tensor AllPatterns(int repeats)
    {
        var rows = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            for (int p = 0; p < 8; p++) rows.AddRange([(p >> 0) & 1, (p >> 1) & 1, (p >> 2) & 1]);
        }
        return tensor(rows.ToArray(), [8L * repeats, 3], dtype: float64);
    }

    [Fact]
    public void Bound_IsAtLeastTheElbo_ForEveryObservation()
    {
        using var x = AllPatterns(20);
        using var generator = new Generator(3, CPU);

        var result = ImportanceWeightedBound.Estimate(new TinyBernoulliModel(), x, [new StandardNormalPrior(1)], samples: 10, generator: generator, batchSize: 32)[0];

        for (int i = 0; i < result.Elbo.Length; i++) Assert.True(result.LogLikelihood[i] >= result.Elbo[i] - 1e-12, $"observation {i}");
        Assert.True(result.LogLikelihoodSummary.Mean > result.ElboSummary.Mean + 0.05, "the encoder is imperfect, so the bound must gain on the ELBO");
    }

    [Fact]
    public void Bound_TightensTowardsTheExactLogLikelihood_AsSamplesGrow()
    {
        const int repeats = 400;
        using var x = AllPatterns(repeats);
        var exact = Enumerable.Range(0, 8).Select(p => TinyBernoulliModel.ExactLogLikelihood([(p >> 0) & 1, (p >> 1) & 1, (p >> 2) & 1])).ToArray();
        double exactMean = exact.Average();
        var means = new List<double>();
        foreach (int k in new[] { 1, 5, 50, 500 })
        {
            using var generator = new Generator(11, CPU);
            var result = ImportanceWeightedBound.Estimate(new TinyBernoulliModel(), x, [new StandardNormalPrior(1)], samples: k, generator: generator, batchSize: 800)[0];
            means.Add(result.LogLikelihoodSummary.Mean);
            // A lower bound in expectation: never above log p(x) by more than its sampling error.
            Assert.True(result.LogLikelihoodSummary.Mean <= exactMean + result.LogLikelihoodSummary.TwoStandardErrors, $"K = {k}");
        }
        for (int i = 1; i < means.Count; i++) Assert.True(means[i] > means[i - 1], $"bound did not grow: {string.Join(", ", means)}");
        Assert.True(exactMean - means[0] > 0.1, "with K = 1 the gap (the mean KL to the true posterior) should be visible");
        Assert.InRange(exactMean - means[^1], -0.01, 0.01);
    }

    [Fact]
    public void WithAnExactPrior_TheBoundEqualsADirectComputation()
    {
        // A tiny conv VAE and a ResMADE-MoG prior, both float64; the direct computation below redraws
        // the same noise from the same seed and writes every density out by hand.
        random.manual_seed(5);
        var vae = new ConvVae(new VaeOptions { Latents = 3, Channels = 2, Downsamplings = 2, ImageSize = 8 });
        vae.to(float64);
        var aem = new AutoregressiveEnergyMachine(new AemOptions { Features = 3, HiddenFeatures = 16, ContextFeatures = 4, EnergyHiddenFeatures = 8, Components = 3 });
        aem.to(float64);
        using var x = bernoulli(full([4, 1, 8, 8], 0.4, dtype: float64), new Generator(6, CPU));
        const int k = 7;

        using var generator = new Generator(9, CPU);
        var viaBound = ImportanceWeightedBound.Estimate(vae, x, [new ProposalPrior(aem)], samples: k, generator: generator, batchSize: 4)[0];

        using var replay = new Generator(9, CPU);
        using (no_grad())
        {
            var posterior = vae.Encode(x);
            var mean = posterior.Mean.data<double>().ToArray();
            var logVariance = posterior.LogVariance.data<double>().ToArray();
            var noise = randn([4, k, 3], dtype: float64, generator: replay).data<double>().ToArray();
            var pixels = x.reshape(4, 64).data<double>().ToArray();
            for (int b = 0; b < 4; b++)
            {
                var logWeights = new double[k];
                for (int s = 0; s < k; s++)
                {
                    var z = new double[3];
                    double logQ = 0;
                    for (int l = 0; l < 3; l++)
                    {
                        double sd = Math.Exp(0.5 * logVariance[(b * 3) + l]);
                        double e = noise[(((b * k) + s) * 3) + l];
                        z[l] = mean[(b * 3) + l] + (sd * e);
                        logQ += (-0.5 * e * e) - Math.Log(sd) - (0.5 * Math.Log(2 * Math.PI));
                    }
                    using var zt = tensor(z, [1, 3], dtype: float64);
                    var logits = vae.Decode(zt).reshape(64).data<double>().ToArray();
                    double logPxz = 0;
                    for (int i = 0; i < 64; i++)
                    {
                        double p = 1 / (1 + Math.Exp(-logits[i]));
                        logPxz += pixels[(b * 64) + i] == 1 ? Math.Log(p) : Math.Log(1 - p);
                    }
                    aem.eval();
                    double logPz = aem.LogProposal(zt).ToDouble();
                    logWeights[s] = logPxz + logPz - logQ;
                }
                double max = logWeights.Max();
                double direct = max + Math.Log(logWeights.Sum(w => Math.Exp(w - max)) / k);
                Assert.Equal(direct, viaBound.LogLikelihood[b], 9);
                Assert.Equal(logWeights.Average(), viaBound.Elbo[b], 9);
            }
        }
    }

    [Fact]
    public void AemPrior_IsTheLibrarysImportanceSamplingEstimate_FlaggedInexact()
    {
        random.manual_seed(8);
        var aem = new AutoregressiveEnergyMachine(new AemOptions { Features = 2, HiddenFeatures = 16, ContextFeatures = 4, EnergyHiddenFeatures = 8, Components = 3 });
        using var prior = new AemPrior(aem, samples: 300, seed: 1);
        using var z = randn([5, 2], dtype: float64, generator: new Generator(4, CPU));

        using var viaPrior = prior.LogProb(z);
        using var generator = new Generator(1, CPU);
        using var direct = LogLikelihoodEstimator.Estimate(aem, z.to(float32), 300, generator);

        Assert.False(prior.IsExact);
        Assert.Equal(ScalarType.Float64, viaPrior.dtype);
        Assert.True(viaPrior.to(float32).allclose(direct.LogDensity, rtol: 0, atol: 1e-5));
    }
}
