using Aem.Evaluation;
using Aem.Model;
using Aem.Randomness;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// The AEM's objective (paper eq. 10): maximise <c>α·log p̂(x) + log q(x)</c>, α = 0 during the warm-up.
/// log p̂ uses S importance samples per conditional (eq. 9); the proposal is trained by maximum
/// likelihood only, never through log Ẑ. Validation scores log p̂ with more samples (log q alone in the
/// warm-up) on a fixed subset with the same samples every time, so scores differ only through the model.
/// A conditional model trains on rows <c>[x | c]</c> (<see cref="AutoregressiveEnergyMachine.SplitRows"/>):
/// the pairs stay together through shuffling and batching, and the objective is the same with log p̂(x | c)
/// and log q(x | c).
/// </summary>
public sealed class AemObjective : ITrainingObjective<AemStep, ValidationScore>, IDisposable
{
    private readonly AutoregressiveEnergyMachine model;
    private readonly Generator[] proposalGenerators;
    private TorchWorker? worker;

    /// <summary>An objective for <paramref name="model"/> with <paramref name="options"/> (default: the paper's S = 20).</summary>
    public AemObjective(AutoregressiveEnergyMachine model, AemObjectiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new AemObjectiveOptions();
        options.Validate();
        this.model = model;
        Options = options;
        // One generator per worker; the objective owns them and disposes them in Dispose.
#pragma warning disable CA2000
        proposalGenerators = [new Generator(0, Device), new Generator(0, Device)];
#pragma warning restore CA2000
    }

    /// <summary>
    /// Threads that run a step's micro-batches at once (1 or 2; a run setting, not part of the result: a
    /// step's numbers are the same for either). Two workers apply when a batch is two micro-batches, there
    /// is no dropout and the model is on the CPU; each worker then runs with torch's intra-op thread count,
    /// which the caller sets to one (see <see cref="TrainingParallelism"/>). Validation uses as many workers.
    /// Defaults to <see cref="TorchRuntime.TrainingWorkers"/>.
    /// </summary>
    public int Workers
    {
        get => workers;
        set => workers = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Need at least one worker.");
    }

    private int workers = TorchRuntime.TrainingWorkers;

    /// <summary>The objective's settings.</summary>
    public AemObjectiveOptions Options { get; }

    /// <summary>The trained AEM.</summary>
    public AutoregressiveEnergyMachine Machine => model;

    /// <inheritdoc/>
    public nn.Module Model => model;

    /// <inheritdoc/>
    public long BatchStream => Seeds.Streams.Batches;

    private Device Device => model.parameters().First().device;

    /// <inheritdoc/>
    public Tensor Prepare(Tensor data, string split)
    {
        ArgumentNullException.ThrowIfNull(data);
        int features = model.Options.RowFeatures;
        if (data.dim() != 2 || data.shape[1] != features)
        {
            string rows = model.Options.ConditioningFeatures > 0 ? $" ({model.Options.Features} data values, then {Plural.Of(model.Options.ConditioningFeatures, "context value")})" : "";
            throw new ArgumentException($"The {split} data has shape [{string.Join(", ", data.shape)}] but the model expects [N, {features}]{rows}.");
        }
        if (data.shape[0] == 0) throw new ArgumentException($"The {split} data is empty.");
        return data.to(Device);
    }

    /// <inheritdoc/>
    public Tensor ValidationSubset(Tensor validation, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        long n = validation.shape[0];
        if (n <= options.ValidationPoints) return validation.alias();
        using var generator = new Generator((ulong)Seeds.Derive(options.Seed, Seeds.Streams.Validation, 0), CPU);
        using var indices = randperm(n, generator: generator).narrow(0, 0, options.ValidationPoints);
        return validation.index_select(0, indices.to(validation.device));
    }

    /// <inheritdoc/>
    public AemStep? Backward(Tensor batch, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long seed = context.Options.Seed;
        if (model.Options.Dropout > 0) random.manual_seed(Seeds.Derive(seed, Seeds.Streams.Dropout, context.Step));
        if (context.Warmup)
        {
            // α = 0: skip the energy term entirely, since 0 · NaN would still poison the gradients.
            var (x, c) = model.SplitRows(batch);
            var logQ = model.LogProposal(x, c).mean();
            var loss = logQ.neg();
            double lossValue = loss.ToDouble();
            if (!double.IsFinite(lossValue)) return null;
            loss.backward();
            return new AemStep(lossValue, null, logQ.ToDouble() + Options.LogAbsDetJacobian);
        }

        // Micro-batches ("pieces") of whole examples with gradient accumulation give the same step (each
        // example's log Ẑ uses only its own samples) with activations small enough for the cache. Each
        // piece draws its importance samples from its own stream, so two pieces can run at once; two
        // gradients summed in either order are the same numbers, so the step does not depend on Workers.
        long batchSize = batch.shape[0];
        int pieces = Pieces(batchSize);
        var sums = new (double LogP, double LogQ)?[pieces];
        using var scale = tensor(-1.0 / batchSize, dtype: batch.dtype, device: batch.device);
        if (RunsInParallel(pieces, batch))
        {
            RunPair(batch, pieces, context, scale, sums);
        }
        else
        {
            for (int i = 0; i < pieces; i++)
            {
                sums[i] = Piece(batch, i, pieces, context, scale, proposalGenerators[0]);
                if (sums[i] is null) return null;
            }
        }
        if (sums.Any(s => s is null)) return null;
        double logDensity = sums.Sum(s => s!.Value.LogP) / batchSize, logProposal = sums.Sum(s => s!.Value.LogQ) / batchSize;
        double offset = Options.LogAbsDetJacobian;
        return new AemStep(-(logDensity + logProposal), logDensity + offset, logProposal + offset);
    }

    /// <summary>
    /// Forward and backward of piece <paramref name="index"/> of <paramref name="pieces"/> near-equal pieces;
    /// the sums of its log p̂ and log q, or null if either is not finite (nothing is back-propagated then).
    /// </summary>
    private (double LogP, double LogQ)? Piece(Tensor batch, int index, int pieces, StepContext context, Tensor scale, Generator generator)
    {
        using var scope = NewDisposeScope();
        long batchSize = batch.shape[0];
        long start = batchSize * index / pieces, end = batchSize * (index + 1) / pieces;
        var (part, given) = model.SplitRows(batch.narrow(0, start, end - start));
        long stepSeed = Seeds.Derive(context.Options.Seed, Seeds.Streams.Proposal, context.Step);
        generator.manual_seed(Seeds.Derive(stepSeed, Seeds.Streams.Proposal, index));
        using var output = model.Forward(part, Options.TrainingSamples, generator, Options.TrainingNormalizer, given);
        var sumP = output.LogDensity.sum();
        var sumQ = output.LogProposal.sum();
        double p = sumP.ToDouble(), q = sumQ.ToDouble();
        if (!double.IsFinite(p) || !double.IsFinite(q)) return null;
        sumP.add(sumQ, Scalars.One).mul(scale).backward();
        return (p, q);
    }

    /// <summary>Runs piece 1 on the worker thread while this one runs piece 0 (both with torch's intra-op thread count as the caller set it, normally one).</summary>
    private void RunPair(Tensor batch, int pieces, StepContext context, Tensor scale, (double LogP, double LogQ)?[] sums)
    {
        worker ??= new TorchWorker("aem training worker");
        worker.RunBeside(
            () => sums[1] = Piece(batch, 1, pieces, context, scale, proposalGenerators[1]),
            () => sums[0] = Piece(batch, 0, pieces, context, scale, proposalGenerators[0]));
    }

    // Two pieces only: with three or more, the order in which concurrent backward passes add into a
    // gradient would change its rounding. Dropout masks draw their keys from torch's shared generator,
    // whose order two threads would not keep.
    private bool RunsInParallel(int pieces, Tensor batch) =>
        Workers >= 2 && pieces == 2 && model.Options.Dropout == 0 && batch.device_type == DeviceType.CPU;

    /// <inheritdoc/>
    public ValidationScore Validate(Tensor validation, StepContext context, AemStep? sinceLast)
    {
        ArgumentNullException.ThrowIfNull(validation);
        double? logDensity = null;
        double logProposal;
        EffectiveSampleSizeSummary? ess = null;
        // The same importance samples at every validation, so scores differ only through the model.
        using var generator = new Generator((ulong)Seeds.Derive(context.Options.Seed, Seeds.Streams.Validation, 1), validation.device);
        if (context.Warmup)
        {
            bool wasTraining = model.training;
            model.eval();
            var (x, c) = model.SplitRows(validation);
            using (no_grad())
            using (var logQ = model.LogProposal(x, c))
            {
                logProposal = logQ.mean().ToDouble();
            }
            model.train(wasTraining);
        }
        else
        {
            using var output = LogLikelihoodEstimator.Estimate(model, validation, Options.ValidationSamples, generator, workers: Workers > 1 ? Workers : null);
            logDensity = output.LogDensity.mean().ToDouble();
            logProposal = output.LogProposal.mean().ToDouble();
            using var logEss = output.LogEffectiveSampleSize!.to(float64);
            using var minEss = logEss.amin([1]).exp_();                                  // [N]
            ess = EffectiveSampleSizeSummary.Of(minEss.data<double>().ToArray(), Options.ValidationSamples);
        }
        double offset = Options.LogAbsDetJacobian;
        return new ValidationScore(context.Step, logDensity + offset, logProposal + offset, sinceLast?.LogDensity, sinceLast?.LogProposal)
        {
            EffectiveSampleSize = ess,
        };
    }

    /// <summary>How many near-equal pieces a batch is split into: as few as keep each within <see cref="AemObjectiveOptions.MicroBatchRows"/> energy-network rows.</summary>
    private int Pieces(long batchSize)
    {
        if (Options.MicroBatchRows is not { } rows) return 1;
        long rowsPerExample = (long)model.Options.Features * (1 + Options.TrainingSamples);
        long pieces = ((batchSize * rowsPerExample) + rows - 1) / rows;
        return (int)Math.Clamp(pieces, 1, batchSize);
    }

    /// <summary>Releases the proposal-sample generators (not the model).</summary>
    public void Dispose()
    {
        worker?.Dispose();
        foreach (var generator in proposalGenerators) generator.Dispose();
    }
}
