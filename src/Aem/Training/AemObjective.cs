using Aem.Evaluation;
using Aem.Model;
using Aem.Nn;
using Aem.Randomness;
using Aem.Runtime;
using TorchSharp;
using TorchSharp.Modules;
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
    private readonly Generator[] dropoutGenerators;
    private TorchWorker? worker;
    private Parameter[]? trainable;

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
        dropoutGenerators = [new Generator(0, Device), new Generator(0, Device)];
#pragma warning restore CA2000
    }

    /// <summary>
    /// Threads that run a step's micro-batches at once (1 or 2; a run setting, not part of the result: a
    /// step's numbers are the same for either). Two workers apply when a batch is at least two micro-batches
    /// and the model is on the CPU (one runs the even micro-batches, the other the odd); each runs with torch's intra-op thread count,
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
        if (context.Warmup)
        {
            if (model.Options.Dropout > 0) random.manual_seed(Seeds.Derive(context.Options.Seed, Seeds.Streams.Dropout, context.Step));
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
        // piece draws its importance samples and dropout masks from its own streams, so pieces can run on
        // two workers: the even pieces on this thread, the odd ones on the worker. The step does not depend
        // on Workers because the gradients are always summed in one order: the even pieces' into the
        // parameters' gradients, the odd pieces' into their own buffers, then the two (with two pieces that
        // is p₀ + p₁, the same numbers in either order, so both go straight into the gradients).
        long batchSize = batch.shape[0];
        int pieces = Pieces(batchSize);
        var sums = new (double LogP, double LogQ)?[pieces];
        using var scale = tensor(-1.0 / batchSize, dtype: batch.dtype, device: batch.device);
        bool splitSums = pieces > 2 && batch.device_type == DeviceType.CPU;
        var odd = splitSums ? new Tensor?[Trainable.Length] : null;
        try
        {
            if (RunsInParallel(pieces, batch))
            {
                worker ??= new TorchWorker("aem training worker");
                worker.RunBeside(
                    () => RunPieces(1, batch, pieces, context, scale, sums, odd),
                    () => RunPieces(0, batch, pieces, context, scale, sums, null));
            }
            else if (RunPieces(0, batch, pieces, context, scale, sums, null))
            {
                RunPieces(1, batch, pieces, context, scale, sums, odd);
            }
            if (odd is not null && sums.All(s => s is not null)) AddInto(Trainable, odd);
        }
        finally
        {
            if (odd is not null) foreach (var gradient in odd) gradient?.Dispose();
        }
        if (sums.Any(s => s is null)) return null;
        double logDensity = sums.Sum(s => s!.Value.LogP) / batchSize, logProposal = sums.Sum(s => s!.Value.LogQ) / batchSize;
        double offset = Options.LogAbsDetJacobian;
        return new AemStep(-(logDensity + logProposal), logDensity + offset, logProposal + offset);
    }

    /// <summary>
    /// Runs the pieces of one parity (0: even, 1: odd) in order on the calling thread, stopping at the first that is
    /// not finite (then false); with <paramref name="gradients"/> their gradients go there instead of into the parameters'.
    /// </summary>
    private bool RunPieces(int parity, Tensor batch, int pieces, StepContext context, Tensor scale, (double LogP, double LogQ)?[] sums, Tensor?[]? gradients)
    {
        for (int i = parity; i < pieces; i += 2)
        {
            sums[i] = Piece(batch, i, pieces, context, scale, proposalGenerators[parity], dropoutGenerators[parity], gradients);
            if (sums[i] is null) return false;
        }
        return true;
    }

    /// <summary>
    /// Forward and backward of piece <paramref name="index"/> of <paramref name="pieces"/> near-equal pieces;
    /// the sums of its log p̂ and log q, or null if either is not finite (nothing is back-propagated then).
    /// Its gradients are added to the parameters' or, given <paramref name="gradients"/>, to those.
    /// </summary>
    private (double LogP, double LogQ)? Piece(
        Tensor batch, int index, int pieces, StepContext context, Tensor scale, Generator generator, Generator dropout, Tensor?[]? gradients)
    {
        using var scope = NewDisposeScope();
        long batchSize = batch.shape[0];
        long start = batchSize * index / pieces, end = batchSize * (index + 1) / pieces;
        var (part, given) = model.SplitRows(batch.narrow(0, start, end - start));
        long seed = context.Options.Seed;
        generator.manual_seed(Seeds.Derive(Seeds.Derive(seed, Seeds.Streams.Proposal, context.Step), Seeds.Streams.Proposal, index));
        dropout.manual_seed(Seeds.Derive(Seeds.Derive(seed, Seeds.Streams.Dropout, context.Step), Seeds.Streams.Dropout, index));
        using var keys = DropoutMask.UseKeys(dropout);
        using var output = model.Forward(part, Options.TrainingSamples, generator, Options.TrainingNormalizer, given);
        var sumP = output.LogDensity.sum();
        var sumQ = output.LogProposal.sum();
        double p = sumP.ToDouble(), q = sumQ.ToDouble();
        if (!double.IsFinite(p) || !double.IsFinite(q)) return null;
        var loss = sumP.add(sumQ, Scalars.One).mul(scale);
        if (gradients is null)
        {
            loss.backward();
            return (p, q);
        }
        var pieceGradients = autograd.grad([loss], Trainable);
        for (int k = 0; k < gradients.Length; k++)
        {
            if (gradients[k] is { } sum) sum.add_(pieceGradients[k], Scalars.One);
            else gradients[k] = pieceGradients[k].DetachFromDisposeScope();
        }
        return (p, q);
    }

    /// <summary>Adds each of <paramref name="gradients"/> to its parameter's gradient.</summary>
    private static void AddInto(Parameter[] parameters, Tensor?[] gradients)
    {
        using var noGrad = no_grad();
        for (int k = 0; k < parameters.Length; k++)
        {
            if (gradients[k] is not { } gradient) continue;
            using var existing = parameters[k].grad;
            if (existing is null) parameters[k].grad = gradient.clone();
            else existing.add_(gradient, Scalars.One);
        }
    }

    /// <summary>The parameters trained, in the model's order (those that require gradients).</summary>
    private Parameter[] Trainable => trainable ??= model.parameters().Where(p => p.requires_grad).ToArray();

    private bool RunsInParallel(int pieces, Tensor batch) => Workers >= 2 && pieces >= 2 && batch.device_type == DeviceType.CPU;

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
        foreach (var generator in proposalGenerators.Concat(dropoutGenerators)) generator.Dispose();
    }
}
