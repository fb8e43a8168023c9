using Aem.Randomness;
using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// Pre-training a <see cref="ConvVae"/> with a standard Gaussian prior: maximise
/// <c>L_β = E_q[log p(x|z)] − β KL(q(z|x) ‖ N(0, I))</c> (paper eq. 12). Each batch is a fresh Bernoulli
/// draw of its grey-level images (dynamic binarisation), so every epoch sees new binary images.
/// Validation scores the ELBO (β = 1) of already binarised images with the noise fixed by the seed.
/// </summary>
internal sealed class VaeObjective : ITrainingObjective<VaeStep, VaeValidationScore>, IDisposable
{
    private readonly ConvVae model;
    private readonly Generator generator;

    /// <summary>An objective for <paramref name="model"/> (default β = 0.9).</summary>
    public VaeObjective(ConvVae model, VaeObjectiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new VaeObjectiveOptions();
        options.Validate();
        this.model = model;
        Options = options;
        generator = new Generator(0, model.parameters().First().device);
    }

    /// <summary>The objective's setting.</summary>
    public VaeObjectiveOptions Options { get; }

    /// <inheritdoc/>
    public nn.Module Model => model;

    /// <inheritdoc/>
    public long BatchStream => Seeds.Streams.VaeBatches;

    /// <inheritdoc/>
    public Tensor Prepare(Tensor data, string split)
    {
        ArgumentNullException.ThrowIfNull(data);
        var parameter = model.parameters().First();
        return data.to(parameter.dtype, parameter.device);
    }

    /// <inheritdoc/>
    public Tensor ValidationSubset(Tensor validation, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        return validation.narrow(0, 0, Math.Min(validation.shape[0], options.ValidationPoints)).alias();
    }

    /// <inheritdoc/>
    public VaeStep? Backward(Tensor batch, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long seed = context.Options.Seed;
        generator.manual_seed(Seeds.Derive(seed, Seeds.Streams.Binarisation, context.Step));
        var binary = Binarization.Sample(batch, generator);                        // a fresh draw: dynamic binarisation
        generator.manual_seed(Seeds.Derive(seed, Seeds.Streams.PosteriorNoise, context.Step));
        var (reconstruction, kl) = model.BoundTerms(binary, generator);
        var meanReconstruction = reconstruction.mean();
        var meanKl = kl.mean();
        using var beta = Options.Beta.ToScalar();
        var loss = meanKl.mul(beta).sub(meanReconstruction);                      // −L_β
        double lossValue = loss.ToDouble();
        if (!double.IsFinite(lossValue)) return null;
        loss.backward();
        return new VaeStep(lossValue, meanReconstruction.ToDouble(), meanKl.ToDouble());
    }

    /// <inheritdoc/>
    public VaeValidationScore Validate(Tensor validation, StepContext context, VaeStep? sinceLast)
    {
        ArgumentNullException.ThrowIfNull(validation);
        return Score(validation, context.Step, context.Options);
    }

    /// <summary>Mean one-sample ELBO (β = 1) of binary <paramref name="images"/> with the noise fixed by the seed, in batches of the training's size.</summary>
    public VaeValidationScore Score(Tensor images, int step, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        bool wasTraining = model.training;
        model.eval();
        double reconstruction = 0, kl = 0;
        long n = images.shape[0];
        try
        {
            using var noGrad = no_grad();
            generator.manual_seed(Seeds.Derive(options.Seed, Seeds.Streams.VaeValidation, 0));
            for (long start = 0; start < n; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var (rec, k) = model.BoundTerms(images.narrow(0, start, Math.Min(options.BatchSize, n - start)), generator);
                reconstruction += rec.sum().ToDouble();
                kl += k.sum().ToDouble();
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new VaeValidationScore(step, (reconstruction - kl) / n, reconstruction / n, kl / n);
    }

    /// <summary>Releases the generator (not the model).</summary>
    public void Dispose() => generator.Dispose();
}
