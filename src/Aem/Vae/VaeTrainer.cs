using Aem.Runtime;
using Aem.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// Pre-trains a <see cref="ConvVae"/> with a standard Gaussian prior by maximising
/// <c>L_β = E_q[log p(x|z)] − β KL(q(z|x) ‖ N(0, I))</c> (paper eq. 12) with Adam and cosine annealing.
/// Each batch is a fresh Bernoulli draw of its grey-level images (dynamic binarisation), so every epoch
/// sees new binary images. Validates the ELBO (β = 1) on a fixed binarisation, keeps the best weights,
/// and checkpoints so that a run can be stopped and resumed exactly: every random draw of step t is a
/// function of (seed, t). Never prints; reports through <see cref="IProgress{T}"/>.
/// </summary>
public sealed class VaeTrainer : IDisposable
{
    private const long BatchStream = 11;
    private const long BinarizationStream = 12;
    private const long NoiseStream = 13;
    private const long ValidationStream = 14;

    private readonly ConvVae model;
    private readonly Adam optimizer;
    private readonly Generator generator;
    private readonly EpochBatches batches;

    public VaeTrainer(ConvVae model, VaeTrainerOptions options, VaeTrainingState? state = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NativeHeap.Tune();
        this.model = model;
        Options = options;
        State = state ?? new VaeTrainingState();
        // Built outside any dispose scope: an optimiser made inside one loses its state when it ends.
        optimizer = optim.Adam(model.parameters(), options.LearningRate);
        generator = new Generator(0, model.parameters().First().device);
        batches = new EpochBatches(options.BatchSize, options.Seed, BatchStream);
    }

    public VaeTrainerOptions Options { get; }

    public VaeTrainingState State { get; private set; }

    public ConvVae Model => model;

    /// <summary>The Adam optimiser (its moments are part of a checkpoint).</summary>
    public optim.Optimizer Optimizer => optimizer;

    /// <summary>
    /// Trains on grey-level images <paramref name="train"/> <c>[N, 1, S, S]</c> in [0, 1] until the step
    /// budget, the time limit, cancellation or repeated non-finite losses. <paramref name="validation"/>
    /// holds already binarised images. With <paramref name="run"/>, writes <c>last/</c> and <c>best/</c>.
    /// </summary>
    public VaeTrainingResult Run(
        Tensor train,
        Tensor? validation = null,
        IProgress<VaeProgress>? progress = null,
        VaeRunDirectory? run = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.shape[0] < Options.BatchSize)
        {
            throw new ArgumentException($"The batch size ({Options.BatchSize}) exceeds the number of training images ({train.shape[0]}).", nameof(train));
        }
        var device = model.parameters().First().device;
        var dtype = model.parameters().First().dtype;
        train = train.to(dtype, device);
        using var validationSubset = validation?.narrow(0, 0, Math.Min(validation.shape[0], Options.ValidationPoints)).to(dtype, device);
        var limits = new RunLimits(Options.MaxDuration, Options.MaxNonFiniteSteps, cancellationToken);
        double previousSeconds = State.TrainingSeconds;
        var window = new Window(limits.Elapsed);
        var reason = StopReason.Completed;
        string? message = null;

        model.train();
        while (State.Step < Options.Steps)
        {
            if (limits.Interruption() is { } interruption) { reason = interruption; break; }

            var step = TrainStep(train, State.Step);
            State = State with { Step = State.Step + 1, TrainingSeconds = previousSeconds + limits.Elapsed.TotalSeconds };
            if (step is null)
            {
                if (limits.NonFinite())
                {
                    reason = StopReason.NonFinite;
                    message = $"Stopped at step {State.Step}: {limits.NonFiniteInARow} steps in a row had a non-finite loss; the last good weights are kept. Try a lower learning rate.";
                    break;
                }
                continue;
            }
            limits.Finite();
            window.Add(step.Value);

            VaeValidationScore? score = null;
            bool last = State.Step == Options.Steps;
            if (validationSubset is not null && Options.ValidateEvery > 0 && (State.Step % Options.ValidateEvery == 0 || last))
            {
                score = Validate(validationSubset);
                if (run is not null && State.BestStep == State.Step) run.SaveBest(this);
            }
            if (run is not null && Options.CheckpointEvery > 0 && State.Step % Options.CheckpointEvery == 0) run.SaveLast(this);
            if (score is not null || State.Step % Options.ReportEvery == 0 || last)
            {
                progress?.Report(window.ToProgress(State, Options, limits.Elapsed, score));
                window = new Window(limits.Elapsed);
            }
        }
        State = State with { TrainingSeconds = previousSeconds + limits.Elapsed.TotalSeconds };
        run?.SaveLast(this);
        if (run is not null && (validationSubset is null || Options.ValidateEvery == 0)) run.SaveBest(this);
        return new VaeTrainingResult(reason, State, message);
    }

    /// <summary>Mean one-sample ELBO (β = 1) of <paramref name="images"/> (binary) with the noise fixed by the seed.</summary>
    public VaeValidationScore Validate(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        bool wasTraining = model.training;
        model.eval();
        double reconstruction = 0, kl = 0;
        long n = images.shape[0];
        try
        {
            using var noGrad = no_grad();
            generator.manual_seed(Seeds.Derive(Options.Seed, ValidationStream, 0));
            for (long start = 0; start < n; start += Options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var (rec, k) = model.BoundTerms(images.narrow(0, start, Math.Min(Options.BatchSize, n - start)), generator);
                reconstruction += rec.sum().ToDouble();
                kl += k.sum().ToDouble();
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        var score = new VaeValidationScore(State.Step, (reconstruction - kl) / n, reconstruction / n, kl / n);
        bool improved = double.IsFinite(score.Elbo) && (State.BestElbo is not { } best || score.Elbo > best);
        State = State with
        {
            History = [.. State.History, score],
            BestElbo = improved ? score.Elbo : State.BestElbo,
            BestStep = improved ? State.Step : State.BestStep,
        };
        return score;
    }

    /// <summary>One Adam step on the batch of step <paramref name="step"/>; null if the loss was non-finite (step skipped).</summary>
    private (double Loss, double Reconstruction, double Kl)? TrainStep(Tensor train, int step)
    {
        using var scope = NewDisposeScope();
        generator.manual_seed(Seeds.Derive(Options.Seed, BinarizationStream, step));
        var grey = train.index_select(0, batches.Indices(train.shape[0], step).to(train.device));
        var batch = Binarization.Sample(grey, generator);                           // a fresh draw: dynamic binarisation
        generator.manual_seed(Seeds.Derive(Options.Seed, NoiseStream, step));
        CosineSchedule.Apply(optimizer, Options.LearningRate, step, Options.Steps);
        optimizer.zero_grad();
        var (reconstruction, kl) = model.BoundTerms(batch, generator);
        var meanReconstruction = reconstruction.mean();
        var meanKl = kl.mean();
        var loss = meanKl.mul(Options.Beta).sub(meanReconstruction);              // −L_β
        double lossValue = loss.ToDouble();
        if (!double.IsFinite(lossValue)) return null;
        loss.backward();
        optimizer.step();
        return (lossValue, meanReconstruction.ToDouble(), meanKl.ToDouble());
    }

    public void Dispose()
    {
        batches.Dispose();
        optimizer.Dispose();
        generator.Dispose();
    }

    /// <summary>Step statistics between two progress reports.</summary>
    private sealed class Window(TimeSpan start)
    {
        private int steps;
        private double loss, reconstruction, kl;

        public void Add((double Loss, double Reconstruction, double Kl) stats)
        {
            steps++;
            loss += stats.Loss;
            reconstruction += stats.Reconstruction;
            kl += stats.Kl;
        }

        public VaeProgress ToProgress(VaeTrainingState state, VaeTrainerOptions options, TimeSpan elapsed, VaeValidationScore? validation)
        {
            double seconds = (elapsed - start).TotalSeconds;
            double speed = steps > 0 && seconds > 0 ? steps / seconds : 0;
            TimeSpan? eta = speed > 0 ? TimeSpan.FromSeconds((options.Steps - state.Step) / speed) : null;
            double Mean(double total) => steps > 0 ? total / steps : double.NaN;
            return new VaeProgress(state.Step, options.Steps, Mean(loss), Mean(reconstruction), Mean(kl), speed, elapsed, eta, validation, state.BestElbo);
        }
    }
}
