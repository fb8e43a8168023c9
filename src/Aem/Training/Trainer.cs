using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// Trains any <see cref="ITrainingObjective{TStep, TScore}"/> (the AEM's, paper eq. 10; the VAE's, eq. 12)
/// with Adam and cosine annealing: shuffled epochs of whole batches, a warm-up, validation every so many
/// steps keeping the best model, early stopping, step and wall-time budgets, cancellation, skipping of
/// non-finite steps, and checkpoints from which a run resumes exactly (every random draw of step t is a
/// function of the seed and t). It never prints; it reports through <see cref="IProgress{T}"/>.
/// </summary>
/// <typeparam name="TStep">The objective's step metrics.</typeparam>
/// <typeparam name="TScore">The objective's validation score.</typeparam>
/// <example>
/// <code>
/// using var trainer = new Trainer&lt;AemStep, ValidationScore&gt;(new AemObjective(model), new TrainerOptions { Steps = 2_000 });
/// var result = trainer.Run(train, validation, progress);
/// </code>
/// </example>
public sealed class Trainer<TStep, TScore> : IDisposable
    where TStep : struct, IStepMetrics<TStep>
    where TScore : class, IValidationScore
{
    private readonly Adam optimizer;
    private readonly FlatParameters flat;
    private readonly FlatAdam adam;
    private readonly EpochBatches batches;

    /// <summary>
    /// A trainer for <paramref name="objective"/>, starting afresh or from <paramref name="state"/> (restore
    /// the optimiser's moments with <see cref="Optimizer"/> to resume exactly). The trainer owns the
    /// objective and disposes it; the model stays the caller's.
    /// </summary>
    /// <param name="objective">What to train: the AEM's (<see cref="AemObjective"/>) or the VAE's objective.</param>
    /// <param name="options">The schedule: batch size, steps, learning rate, warm-up, validation, budgets, seed.</param>
    /// <param name="state">The state of the checkpoint to resume from; null starts at step 0.</param>
    /// <exception cref="ArgumentException">An option is invalid (<see cref="TrainerOptions.Validate"/>).</exception>
    public Trainer(ITrainingObjective<TStep, TScore> objective, TrainerOptions options, TrainingState<TScore>? state = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NativeHeap.Tune();
        Objective = objective;
        Options = options;
        State = state ?? new TrainingState<TScore>();
        // Built outside any dispose scope: an optimiser made inside one loses its state when it ends.
        flat = new FlatParameters(objective.Model.parameters());
        optimizer = optim.Adam(flat.Parameters, options.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0);
        adam = new FlatAdam(optimizer, flat);
        batches = new EpochBatches(options.BatchSize, options.Seed, objective.BatchStream);
    }

    /// <summary>What is trained.</summary>
    public ITrainingObjective<TStep, TScore> Objective { get; }

    /// <summary>The schedule (replaced by <see cref="Reschedule"/>).</summary>
    public TrainerOptions Options { get; private set; }

    /// <summary>Steps done, best score, history.</summary>
    public TrainingState<TScore> State { get; private set; }

    /// <summary>The trained module.</summary>
    public nn.Module Model => Objective.Model;

    /// <summary>The Adam optimiser (its moments are part of a resumable checkpoint).</summary>
    public optim.Optimizer Optimizer => optimizer;

    /// <summary>
    /// Changes the step budget (and with it the cosine schedule's length), the validation cadence and the
    /// time limit of the next <see cref="Run"/>, keeping the weights, the optimiser's moments and the state:
    /// how a wall-time budget is re-planned from the speed of the run itself.
    /// </summary>
    internal void Reschedule(int steps, int validateEvery, TimeSpan? maxDuration)
    {
        var options = Options with { Steps = steps, ValidateEvery = validateEvery, MaxDuration = maxDuration };
        options.Validate();
        Options = options;
    }

    /// <summary>
    /// Trains on <paramref name="train"/> until the step budget, early stopping, the time limit,
    /// cancellation, or repeated non-finite losses. With <paramref name="checkpoints"/>, saves the best
    /// model after each improving validation and the resumable state every
    /// <see cref="TrainerOptions.CheckpointEvery"/> steps and at the end.
    /// </summary>
    /// <param name="train">Training points (for the AEM <c>[N, D]</c> in the model's units); at least one batch.</param>
    /// <param name="validation">Validation points for choosing the best model and stopping early; null: no validation.</param>
    /// <param name="progress">Receives the step metrics every <see cref="TrainerOptions.ReportEvery"/> steps and every validation.</param>
    /// <param name="checkpoints">Where to save <c>best/</c> and <c>last/</c>; null: nothing is saved.</param>
    /// <param name="cancellationToken">Stops after the current step; the result says so.</param>
    /// <returns>Why training stopped and the final state (steps, best score, history).</returns>
    /// <exception cref="ArgumentException">The training data holds fewer points than one batch.</exception>
    public TrainingResult<TScore> Run(
        Tensor train,
        Tensor? validation = null,
        IProgress<TrainingProgress<TStep, TScore>>? progress = null,
        ICheckpointSink<TStep, TScore>? checkpoints = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var trainData = Objective.Prepare(train, "training");
        var validationData = validation is null ? null : Objective.Prepare(validation, "validation");
        if (trainData.shape[0] < Options.BatchSize)
        {
            throw new ArgumentException(
                $"The batch size ({Options.BatchSize}) exceeds the number of training points ({trainData.shape[0]}); lower the batch size.");
        }
        using var validationSubset = validationData is null ? null : Objective.ValidationSubset(validationData, Options);
        bool validating = validationSubset is not null && Options.ValidateEvery > 0;
        var limits = new RunLimits(Options.MaxDuration, Options.MaxNonFiniteSteps, cancellationToken);
        double previousSeconds = State.TrainingSeconds;
        var window = new ReportWindow<TStep>();
        var sinceValidation = new ReportWindow<TStep>();
        StopReason reason = StopReason.Completed;
        string? message = null;

        Model.train();
        while (State.Step < Options.Steps)
        {
            if (limits.Interruption() is { } interruption) { reason = interruption; break; }

            var step = TrainStep(trainData, State.Step);
            if (step is null)
            {
                // The update is not applied, but the step is spent: retrying the same batch and
                // samples would fail the same way.
                State = State with { Step = State.Step + 1 };
                if (limits.NonFinite())
                {
                    reason = StopReason.NonFinite;
                    message = $"Stopped at step {State.Step}: {limits.NonFiniteInARow} steps in a row had a non-finite loss or gradient; " +
                        "the last good weights and the best checkpoint are kept.";
                    break;
                }
                continue;
            }
            limits.Finite();
            State = State with { Step = State.Step + 1, TrainingSeconds = previousSeconds + limits.Elapsed.TotalSeconds };
            window.Add(step.Value);
            sinceValidation.Add(step.Value);

            TScore? score = null;
            bool last = State.Step == Options.Steps;
            if (validating && (State.Step % Options.ValidateEvery == 0 || last))
            {
                score = Validate(validationSubset!, sinceValidation.Mean);
                NativeHeap.Trim();
                sinceValidation = new ReportWindow<TStep>();
                if (checkpoints is not null && State.BestStep == State.Step) checkpoints.SaveBest(this);
                if (Options.Patience is { } patience && State.ValidationsWithoutImprovement >= patience)
                {
                    reason = StopReason.EarlyStopped;
                }
            }
            if (checkpoints is not null && Options.CheckpointEvery > 0 && State.Step % Options.CheckpointEvery == 0) checkpoints.SaveLast(this);
            if (score is not null || State.Step % Options.ReportEvery == 0 || last)
            {
                progress?.Report(Progress(window, limits.Elapsed, score));
                window = new ReportWindow<TStep>(window);
            }
            if (reason == StopReason.EarlyStopped) break;
        }
        if (reason == StopReason.TimeLimit && validating && State.BestStep is null && State.Step > 0)
        {
            // A time limit reached before the first validation would leave no best checkpoint and no score
            // (measured: a 63-column table at 2 minutes). One validation now, beyond the budget by its own length.
            var score = Validate(validationSubset!, sinceValidation.Mean);
            NativeHeap.Trim();
            if (checkpoints is not null && State.BestStep == State.Step) checkpoints.SaveBest(this);
            progress?.Report(Progress(window, limits.Elapsed, score));
        }
        State = State with { TrainingSeconds = previousSeconds + limits.Elapsed.TotalSeconds };
        checkpoints?.SaveLast(this);
        if (checkpoints is not null && !validating) checkpoints.SaveBest(this);
        return new TrainingResult<TScore>(reason, State, message);
    }

    /// <summary>One optimisation step on the batch of step <paramref name="step"/>; null if it was non-finite (and skipped).</summary>
    private TStep? TrainStep(Tensor train, int step)
    {
        using var scope = NewDisposeScope();
        var batch = train.index_select(0, batches.Indices(train.shape[0], step).to(train.device));
        var context = new StepContext(step, step < Options.WarmupSteps, Options);
        CosineSchedule.Apply(optimizer, Options.LearningRate, step, Options.Steps, Options.LearningRateRampSteps);
        flat.ZeroGradients();
        var metrics = Objective.Backward(batch, context);
        if (metrics is null) return null;
        double gradientNorm = flat.GradientNorm();
        if (!double.IsFinite(gradientNorm)) return null;
        if (Options.GradientClipNorm is { } maxNorm) flat.Clip(gradientNorm, maxNorm);
        adam.Step();
        return metrics;
    }

    private TScore Validate(Tensor validation, TStep? sinceLast)
    {
        bool warmup = State.Step <= Options.WarmupSteps;
        var score = Objective.Validate(validation, new StepContext(State.Step, warmup, Options), sinceLast);
        // A validation in the warm-up judges only what the warm-up trains; the first one after it starts
        // the comparison afresh, whatever the warm-up's best was.
        var bestFromWarmup = State.BestStep is { } bestStep && bestStep <= Options.WarmupSteps;
        bool improved = score.Criterion is { } c && double.IsFinite(c) &&
            (State.BestScore is null || c > State.BestScore || (!warmup && bestFromWarmup));
        State = State with
        {
            History = [.. State.History, score],
            BestScore = improved ? score.Criterion : State.BestScore,
            BestStep = improved ? State.Step : State.BestStep,
            ValidationsWithoutImprovement = improved ? 0 : State.ValidationsWithoutImprovement + 1,
        };
        return score;
    }

    private TrainingProgress<TStep, TScore> Progress(ReportWindow<TStep> window, TimeSpan elapsed, TScore? validation)
    {
        double seconds = window.StepSeconds;
        TimeSpan? eta = seconds > 0 ? TimeSpan.FromSeconds(seconds * (Options.Steps - State.Step)) : null;
        return new TrainingProgress<TStep, TScore>(
            State.Step, Options.Steps, window.Mean, seconds > 0 ? 1 / seconds : 0, elapsed, eta, validation, State.BestScore,
            State.Step <= Options.WarmupSteps);
    }

    /// <summary>Releases the optimiser, the batch permutation and the objective (not the model: the caller owns it).</summary>
    public void Dispose()
    {
        batches.Dispose();
        adam.Dispose();
        optimizer.Dispose();
        flat.Dispose();
        (Objective as IDisposable)?.Dispose();
    }
}
