using Aem.Runs;
using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Vae;

public static partial class VaeExperiment
{
    /// <summary>
    /// The rows of Table 2 on the test set (fixed seeded binarisation, the first
    /// <see cref="VaeEvaluationOptions.MaxPoints"/> images): the Gaussian prior, the ResMADE-MoG prior at
    /// <paramref name="resmadePath"/>, and the AEM at <paramref name="aemPath"/> (with S importance samples per
    /// conditional) together with that AEM's own proposal and its AEM-KDE (h and λ chosen by
    /// <see cref="AemKde.Select"/> on latents of validation images, see <see cref="KdeValidationLatents"/>);
    /// priors whose path is null are skipped. All rows share the same posterior draws. Reports test images done.
    /// </summary>
    /// <param name="vaePath">The pre-trained VAE: a run or checkpoint folder.</param>
    /// <param name="mnistDirectory">The folder with the MNIST IDX files.</param>
    /// <param name="resmadePath">A ResMADE-MoG prior (run or checkpoint folder), or null.</param>
    /// <param name="aemPath">An AEM prior (run or checkpoint folder), or null.</param>
    /// <param name="options">K (posterior samples per image), S, the test subset, seeds and batch size.</param>
    /// <param name="progress">Receives the test images done.</param>
    /// <param name="cancellationToken">Stops between batches of images.</param>
    /// <returns>One row per prior: per-image ELBO and importance-weighted bound on log p(x), nats.</returns>
    /// <exception cref="Aem.Runs.CheckpointException">A checkpoint cannot be read.</exception>
    /// <exception cref="FileNotFoundException">An MNIST file is missing.</exception>
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
        AemKdePrior? kdePrior = null;
        try
        {
            if (resmadePath is not null)
            {
                models.Add(SavedRun.Open(resmadePath).LoadModel());
                priors.Add(new ProposalPrior(models[^1], "ResMADE"));
            }
            if (aemPath is not null)
            {
                models.Add(SavedRun.Open(aemPath).LoadModel());
                priors.Add(new ProposalPrior(models[^1], "AEM's proposal"));
                aemPrior = new AemPrior(models[^1], options.PriorSamples, options.Seed + 1, name: $"AEM (S = {options.PriorSamples})");
                priors.Add(aemPrior);
                var selection = SelectKde(vae, models[^1], mnistDirectory, options);
                kdePrior = new AemKdePrior(
                    models[^1], selection.Bandwidth, selection.ProposalWeight, options.KdeSamples, options.Seed + 3,
                    name: FormattableString.Invariant($"AEM-KDE (S = {options.KdeSamples}, h = {selection.Bandwidth:G3}, λ = {selection.ProposalWeight})"));
                priors.Add(kdePrior);
            }
            using var test = TestImages(mnistDirectory, options.MaxPoints);
            using var generator = new Generator((ulong)options.Seed, CPU);
            return ImportanceWeightedBound.Estimate(vae, test, priors, options.Samples, generator, options.BatchSize, progress, cancellationToken);
        }
        finally
        {
            aemPrior?.Dispose();
            kdePrior?.Dispose();
            foreach (var model in models) model.Dispose();
            vae.Dispose();
        }
    }

    /// <summary>
    /// Latents for the AEM-KDE (h, λ) search: one draw from q(z|x) of each of the first
    /// <see cref="VaeEvaluationOptions.KdeValidationPoints"/> validation images under the fixed validation
    /// binarisation, as <see cref="FitPrior"/> draws its validation latents (with another seed), <c>[N, L]</c>.
    /// </summary>
    internal static Tensor KdeValidationLatents(ILatentVariableModel vae, string mnistDirectory, VaeEvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var data = Mnist.Load(mnistDirectory);
        using var validation = Binarization.Fixed(data.Validation, Binarization.ValidationSeed);
        using var images = validation.narrow(0, 0, Math.Min(validation.shape[0], options.KdeValidationPoints));
        return AggregatePosterior.Sample(vae, images, 1, 1, options.Seed + 2, binarize: false);
    }

    private static KdeSelection SelectKde(ILatentVariableModel vae, AutoregressiveEnergyMachine aem, string mnistDirectory, VaeEvaluationOptions options)
    {
        using var latents = KdeValidationLatents(vae, mnistDirectory, options);
        using var generator = new Generator((ulong)(options.Seed + 4), aem.parameters().First().device);
        return AemKde.Select(aem, latents, options.KdeSamples, generator: generator);
    }

    /// <summary>
    /// Figure 6: <paramref name="count"/> test images (fixed binarisation) beside as many unconditional
    /// samples decoded to Bernoulli means, their latents drawn from the AEM at <paramref name="aemPath"/> by
    /// resampling from <paramref name="proposalSamples"/> proposal samples per dimension (or from the
    /// Gaussian prior when <paramref name="aemPath"/> is null). Writes a greyscale PNG to <paramref name="output"/>.
    /// </summary>
    /// <param name="vaePath">The pre-trained VAE: a run or checkpoint folder.</param>
    /// <param name="aemPath">The AEM prior (run or checkpoint folder), or null for the Gaussian prior.</param>
    /// <param name="mnistDirectory">The folder with the MNIST IDX files.</param>
    /// <param name="output">The PNG file to write.</param>
    /// <param name="count">Test images, and as many samples.</param>
    /// <param name="columns">Images per row of each of the two panels.</param>
    /// <param name="proposalSamples">Proposal samples per latent dimension to resample among.</param>
    /// <param name="seed">Seeds the latents drawn.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
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
                var aem = SavedRun.Open(aemPath).LoadModel();
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
    internal static Tensor TestImages(string mnistDirectory, int? maxPoints = null)
    {
        using var grey = Mnist.ReadGrey(Mnist.Find(mnistDirectory, Mnist.TestImages));
        // Binarise all of them, then cut: a smaller evaluation is a prefix of the full one.
        using var binary = Binarization.Fixed(grey, Binarization.TestSeed);
        long n = Math.Min(binary.shape[0], maxPoints ?? long.MaxValue);
        return binary.narrow(0, 0, n).clone();
    }
}
