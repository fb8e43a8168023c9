using Aem.Checkpoints;
using Aem.Evaluation;
using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// Trains an <see cref="AutoregressiveEnergyMachine"/> by maximising <c>α·log p̂(x) + log q(x)</c>
/// (paper eq. 10) with Adam and cosine annealing, α = 0 during warm-up. Validates periodically with a
/// larger S, keeps the best model, stops early if asked, and checkpoints so that a run can be stopped
/// and resumed exactly: every random draw of step t depends only on (seed, t).
/// The trainer never prints; it reports through <see cref="IProgress{T}"/>.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly AutoregressiveEnergyMachine model;
    private readonly Adam optimizer;
    private readonly Generator proposalGenerator;
    private readonly EpochBatches batches;

    public Trainer(AutoregressiveEnergyMachine model, TrainerOptions options, TrainingState? state = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NativeHeap.Tune();
        this.model = model;
        Options = options;
        State = state ?? new TrainingState();
        // Built outside any dispose scope: an optimiser made inside one loses its state when it ends.
        optimizer = optim.Adam(model.parameters(), options.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0);
        var device = model.parameters().First().device;
        proposalGenerator = new Generator(0, device);
        batches = new EpochBatches(options.BatchSize, options.Seed, Seeds.Streams.Batches);
    }

    public TrainerOptions Options { get; }

    public TrainingState State { get; private set; }

    public AutoregressiveEnergyMachine Model => model;

    /// <summary>The Adam optimiser (its moments are part of a checkpoint).</summary>
    public optim.Optimizer Optimizer => optimizer;

    /// <summary>
    /// Trains on <paramref name="train"/> <c>[N, D]</c> until the step budget, early stopping, the time
    /// limit, cancellation, or repeated non-finite losses. With <paramref name="run"/>, writes
    /// <c>last/</c> (resumable) and <c>best/</c> checkpoints there.
    /// </summary>
    public TrainingResult Run(
        Tensor train,
        Tensor? validation = null,
        IProgress<TrainingProgress>? progress = null,
        RunDirectory? run = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckData(train, "training");
        if (validation is not null) CheckData(validation, "validation");
        if (train.shape[0] < Options.BatchSize)
        {
            throw new ArgumentException(
                $"The batch size ({Options.BatchSize}) exceeds the number of training points ({train.shape[0]}); lower --batch-size.");
        }

        var device = model.parameters().First().device;
        train = train.to(device);
        Tensor? validationSubset = validation is null ? null : ValidationSubset(validation).to(device);
        var limits = new RunLimits(Options.MaxDuration, Options.MaxNonFiniteSteps, cancellationToken);
        double previousSeconds = State.TrainingSeconds;
        var window = new ReportWindow();
        var sinceValidation = new ReportWindow();
        StopReason reason = StopReason.Completed;
        string? message = null;

        model.train();
        while (State.Step < Options.Steps)
        {
            if (limits.Interruption() is { } interruption) { reason = interruption; break; }

            var step = TrainStep(train, State.Step);
            if (step is null)
            {
                // The update is not applied, but the step is spent: retrying the same batch and
                // samples would fail the same way.
                State = State with { Step = State.Step + 1 };
                if (limits.NonFinite())
                {
                    reason = StopReason.NonFinite;
                    message = $"Stopped at step {State.Step}: {limits.NonFiniteInARow} steps in a row had a non-finite loss or gradient; " +
                        "the last good weights and the best checkpoint are kept. Try a lower learning rate, a longer warm-up, or gradient clipping.";
                    break;
                }
                continue;
            }
            limits.Finite();
            State = State with { Step = State.Step + 1, TrainingSeconds = previousSeconds + limits.Elapsed.TotalSeconds };
            window.Add(step.Value);
            sinceValidation.Add(step.Value);

            ValidationScore? score = null;
            bool last = State.Step == Options.Steps;
            if (Options.ValidateEvery > 0 && (State.Step % Options.ValidateEvery == 0 || last))
            {
                score = Validate(validationSubset, sinceValidation);
                NativeHeap.Trim();
                sinceValidation = new ReportWindow();
                if (run is not null && State.BestStep == State.Step) run.SaveBest(this);
                if (Options.Patience is { } patience && State.ValidationsWithoutImprovement >= patience)
                {
                    reason = StopReason.EarlyStopped;
                }
            }
            if (run is not null && Options.CheckpointEvery > 0 && State.Step % Options.CheckpointEvery == 0) run.SaveLast(this);
            if (score is not null || State.Step % Options.ReportEvery == 0 || last)
            {
                progress?.Report(window.ToProgress(State, Options, limits.Elapsed, score));
                window = new ReportWindow(window);
            }
            if (reason == StopReason.EarlyStopped) break;
        }
        State = State with { TrainingSeconds = previousSeconds + limits.Elapsed.TotalSeconds };
        run?.SaveLast(this);
        if (run is not null && Options.ValidateEvery == 0) run.SaveBest(this);
        return new TrainingResult(reason, State, message);
    }

    /// <summary>One optimisation step on the batch of step <paramref name="step"/>; null if it was non-finite (and skipped).</summary>
    private StepStats? TrainStep(Tensor train, int step)
    {
        using var scope = NewDisposeScope();
        bool warmup = step < Options.WarmupSteps;
        var batch = train.index_select(0, batches.Indices(train.shape[0], step).to(train.device));
        if (model.Options.Dropout > 0) random.manual_seed(Seeds.Derive(Options.Seed, Seeds.Streams.Dropout, step));
        proposalGenerator.manual_seed(Seeds.Derive(Options.Seed, Seeds.Streams.Proposal, step));
        CosineSchedule.Apply(optimizer, Options.LearningRate, step, Options.Steps);
        optimizer.zero_grad();

        double lossValue;
        double? logDensity = null;
        double logProposal;
        if (warmup)
        {
            // α = 0: skip the energy term entirely, since 0 · NaN would still poison the gradients.
            var logQ = model.LogProposal(batch).mean();
            var loss = logQ.neg();
            lossValue = loss.ToDouble();
            logProposal = logQ.ToDouble();
            if (!double.IsFinite(lossValue)) return null;
            loss.backward();
        }
        else
        {
            // Micro-batches of whole examples with gradient accumulation give the same step (each
            // example's log Ẑ uses only its own samples) with activations small enough for the cache.
            long batchSize = batch.shape[0];
            long micro = MicroBatchExamples();
            double sumLogP = 0, sumLogQ = 0;
            for (long start = 0; start < batchSize; start += micro)
            {
                using var microScope = NewDisposeScope();
                var part = batch.narrow(0, start, Math.Min(micro, batchSize - start));
                var output = model.Forward(part, Options.TrainingSamples, proposalGenerator);
                var sumP = output.LogDensity.sum();
                var sumQ = output.LogProposal.sum();
                double p = sumP.ToDouble(), q = sumQ.ToDouble();
                if (!double.IsFinite(p) || !double.IsFinite(q)) return null;
                sumLogP += p;
                sumLogQ += q;
                using var scale = tensor(-1.0 / batchSize, dtype: sumP.dtype, device: sumP.device);
                sumP.add(sumQ).mul(scale).backward();
            }
            logDensity = sumLogP / batchSize;
            logProposal = sumLogQ / batchSize;
            lossValue = -(logDensity.Value + logProposal);
        }
        double gradientNorm = nn.utils.clip_grad_norm_(model.parameters(), Options.GradientClipNorm ?? float.MaxValue);
        if (!double.IsFinite(gradientNorm))
        {
            optimizer.zero_grad();
            return null;
        }
        optimizer.step();
        return new StepStats(lossValue, logDensity, logProposal);
    }

    private long MicroBatchExamples()
    {
        if (Options.MicroBatchRows is not { } rows) return Options.BatchSize;
        long rowsPerExample = (long)model.Options.Features * (1 + Options.TrainingSamples);
        return Math.Max(1, rows / rowsPerExample);
    }

    private Tensor ValidationSubset(Tensor validation)
    {
        long n = validation.shape[0];
        if (n <= Options.ValidationPoints) return validation;
        using var generator = new Generator((ulong)Seeds.Derive(Options.Seed, Seeds.Streams.Validation, 0), CPU);
        using var indices = randperm(n, generator: generator).narrow(0, 0, Options.ValidationPoints);
        return validation.index_select(0, indices.to(validation.device));
    }

    private ValidationScore Validate(Tensor? validation, ReportWindow sinceValidation)
    {
        bool warmup = State.Step <= Options.WarmupSteps;
        double? logDensity = null;
        double logProposal = double.NaN;
        if (validation is not null)
        {
            // The same importance samples at every validation, so scores differ only through the model.
            using var generator = new Generator((ulong)Seeds.Derive(Options.Seed, Seeds.Streams.Validation, 1), validation.device);
            if (warmup)
            {
                bool wasTraining = model.training;
                model.eval();
                using (no_grad())
                using (var logQ = model.LogProposal(validation))
                {
                    logProposal = logQ.mean().ToDouble();
                }
                model.train(wasTraining);
            }
            else
            {
                using var output = LogLikelihoodEstimator.Estimate(model, validation, Options.ValidationSamples, generator);
                logDensity = output.LogDensity.mean().ToDouble();
                logProposal = output.LogProposal.mean().ToDouble();
            }
        }
        var score = new ValidationScore(State.Step, logDensity, logProposal, sinceValidation.MeanLogDensity, sinceValidation.MeanLogProposal);
        // Before warm-up ends only the proposal can be judged; after it, log p̂ replaces it as the criterion.
        double? criterion = validation is null ? null : logDensity ?? logProposal;
        var bestFromWarmup = State.BestStep is { } bestStep && bestStep <= Options.WarmupSteps;
        bool improved = criterion is { } c && double.IsFinite(c) &&
            (State.BestScore is null || c > State.BestScore || (!warmup && bestFromWarmup));
        State = State with
        {
            History = [.. State.History, score],
            BestScore = improved ? criterion : State.BestScore,
            BestStep = improved ? State.Step : State.BestStep,
            ValidationsWithoutImprovement = improved ? 0 : State.ValidationsWithoutImprovement + 1,
        };
        return score;
    }

    private void CheckData(Tensor data, string what)
    {
        if (data.dim() != 2 || data.shape[1] != model.Options.Features)
        {
            throw new ArgumentException(
                $"The {what} data has shape [{string.Join(", ", data.shape)}] but the model expects [N, {model.Options.Features}].");
        }
        if (data.shape[0] == 0) throw new ArgumentException($"The {what} data is empty.");
    }

    public void Dispose()
    {
        batches.Dispose();
        optimizer.Dispose();
        proposalGenerator.Dispose();
    }
}
