using Aem.Checkpoints;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Vae;

public static partial class VaeExperiment
{
    /// <summary>
    /// The rows of Table 2 on the test set (fixed seeded binarisation, the first
    /// <see cref="VaeEvaluationOptions.MaxPoints"/> images): the Gaussian prior, the ResMADE-MoG prior at
    /// <paramref name="resmadePath"/>, and the AEM at <paramref name="aemPath"/> (with S importance samples per
    /// conditional) together with that AEM's own proposal; priors whose path is null are skipped. All rows
    /// share the same posterior draws. Reports test images done.
    /// </summary>
    public static IReadOnlyList<BoundEstimates> Evaluate(
        string vaePath,
        string mnistDirectory,
        string? resmadePath,
        string? aemPath,
        VaeEvaluationOptions options,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (vae, _) = VaeCheckpoint.Load(ResolveVae(vaePath));
        var models = new List<AutoregressiveEnergyMachine>();
        var priors = new List<ILatentPrior> { new StandardNormalPrior(vae.Latents) };
        AemPrior? aemPrior = null;
        try
        {
            if (resmadePath is not null)
            {
                models.Add(Checkpoint.Load(ResolveAem(resmadePath)).Model);
                priors.Add(new ProposalPrior(models[^1], "ResMADE"));
            }
            if (aemPath is not null)
            {
                models.Add(Checkpoint.Load(ResolveAem(aemPath)).Model);
                priors.Add(new ProposalPrior(models[^1], "AEM's proposal"));
                aemPrior = new AemPrior(models[^1], options.PriorSamples, options.Seed + 1, name: $"AEM (S = {options.PriorSamples})");
                priors.Add(aemPrior);
            }
            using var test = TestImages(mnistDirectory, options.MaxPoints);
            using var generator = new Generator((ulong)options.Seed, CPU);
            return ImportanceWeightedBound.Estimate(vae, test, priors, options.Samples, generator, options.BatchSize, progress, cancellationToken);
        }
        finally
        {
            aemPrior?.Dispose();
            foreach (var model in models) model.Dispose();
            vae.Dispose();
        }
    }

    /// <summary>
    /// Figure 6: <paramref name="count"/> test images (fixed binarisation) beside as many unconditional
    /// samples decoded to Bernoulli means, their latents drawn from the AEM at <paramref name="aemPath"/> by
    /// resampling from <paramref name="proposalSamples"/> proposal samples per dimension (or from the
    /// Gaussian prior when <paramref name="aemPath"/> is null). Writes a greyscale PNG to <paramref name="output"/>.
    /// </summary>
    public static void Figure(
        string vaePath,
        string? aemPath,
        string mnistDirectory,
        string output,
        int count = 64,
        int columns = 8,
        int proposalSamples = 100,
        long seed = 1)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Need at least one image.");
        var (vae, _) = VaeCheckpoint.Load(ResolveVae(vaePath));
        using (vae)
        using (var data = TestImages(mnistDirectory, count))
        using (var generator = new Generator((ulong)seed, CPU))
        {
            Tensor samples;
            if (aemPath is null)
            {
                samples = VaeSamples.FromGaussian(vae, count, generator);
            }
            else
            {
                var (aem, _) = Checkpoint.Load(ResolveAem(aemPath));
                using (aem) samples = VaeSamples.FromAem(vae, aem, count, proposalSamples, generator);
            }
            using (samples)
            using (var left = ImageGrid.Tile(data, columns))
            using (var right = ImageGrid.Tile(samples, columns))
            using (var figure = ImageGrid.SideBySide(left, right))
            {
                GrayscalePng.Write(output, figure);
            }
        }
    }

    /// <summary>The first <paramref name="maxPoints"/> test images under the fixed test binarisation, <c>[N, 1, 28, 28]</c>.</summary>
    public static Tensor TestImages(string mnistDirectory, int? maxPoints = null)
    {
        using var grey = Mnist.ReadGrey(Mnist.Find(mnistDirectory, Mnist.TestImages));
        // Binarise all of them, then cut: a smaller evaluation is a prefix of the full one.
        using var binary = Binarization.Fixed(grey, Binarization.TestSeed);
        long n = Math.Min(binary.shape[0], maxPoints ?? long.MaxValue);
        return binary.narrow(0, 0, n).clone();
    }
}
