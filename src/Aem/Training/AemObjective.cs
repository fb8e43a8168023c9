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
    private readonly Generator proposalGenerator;

    /// <summary>An objective for <paramref name="model"/> with <paramref name="options"/> (default: the paper's S = 20).</summary>
    public AemObjective(AutoregressiveEnergyMachine model, AemObjectiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new AemObjectiveOptions();
        options.Validate();
        this.model = model;
        Options = options;
        proposalGenerator = new Generator(0, Device);
    }

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
        proposalGenerator.manual_seed(Seeds.Derive(seed, Seeds.Streams.Proposal, context.Step));
        if (context.Warmup)
        {
            // α = 0: skip the energy term entirely, since 0 · NaN would still poison the gradients.
            var (x, c) = model.SplitRows(batch);
            var logQ = model.LogProposal(x, c).mean();
            var loss = logQ.neg();
            if (Options.ZeroGradientsInWarmup)
            {
                // 0 · Σθ reaches every parameter with a zero gradient: the authors' α = 0 without computing
                // the energy term (whose NaNs would survive the multiplication by zero).
                using var zero = tensor(0.0, dtype: loss.dtype, device: loss.device);
                foreach (var parameter in model.parameters())
                {
                    loss = loss.add(parameter.sum().mul(zero), Scalars.One);
                }
            }
            double lossValue = loss.ToDouble();
            if (!double.IsFinite(lossValue)) return null;
            loss.backward();
            return new AemStep(lossValue, null, logQ.ToDouble() + Options.LogAbsDetJacobian);
        }

        // Micro-batches of whole examples with gradient accumulation give the same step (each
        // example's log Ẑ uses only its own samples) with activations small enough for the cache.
        long batchSize = batch.shape[0];
        long micro = MicroBatchExamples(batchSize);
        double sumLogP = 0, sumLogQ = 0;
        for (long start = 0; start < batchSize; start += micro)
        {
            using var microScope = NewDisposeScope();
            var (part, given) = model.SplitRows(batch.narrow(0, start, Math.Min(micro, batchSize - start)));
            using var output = model.Forward(part, Options.TrainingSamples, proposalGenerator, given);
            var sumP = output.LogDensity.sum();
            var sumQ = output.LogProposal.sum();
            double p = sumP.ToDouble(), q = sumQ.ToDouble();
            if (!double.IsFinite(p) || !double.IsFinite(q)) return null;
            sumLogP += p;
            sumLogQ += q;
            using var scale = tensor(-1.0 / batchSize, dtype: sumP.dtype, device: sumP.device);
            sumP.add(sumQ, Scalars.One).mul(scale).backward();
        }
        double logDensity = sumLogP / batchSize, logProposal = sumLogQ / batchSize;
        double offset = Options.LogAbsDetJacobian;
        return new AemStep(-(logDensity + logProposal), logDensity + offset, logProposal + offset);
    }

    /// <inheritdoc/>
    public ValidationScore Validate(Tensor validation, StepContext context, AemStep? sinceLast)
    {
        ArgumentNullException.ThrowIfNull(validation);
        double? logDensity = null;
        double logProposal;
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
            using var output = LogLikelihoodEstimator.Estimate(model, validation, Options.ValidationSamples, generator);
            logDensity = output.LogDensity.mean().ToDouble();
            logProposal = output.LogProposal.mean().ToDouble();
        }
        double offset = Options.LogAbsDetJacobian;
        return new ValidationScore(context.Step, logDensity + offset, logProposal + offset, sinceLast?.LogDensity, sinceLast?.LogProposal);
    }

    private long MicroBatchExamples(long batchSize)
    {
        if (Options.MicroBatchRows is not { } rows) return batchSize;
        long rowsPerExample = (long)model.Options.Features * (1 + Options.TrainingSamples);
        return Math.Max(1, rows / rowsPerExample);
    }

    /// <summary>Releases the proposal-sample generator (not the model).</summary>
    public void Dispose() => proposalGenerator.Dispose();
}
