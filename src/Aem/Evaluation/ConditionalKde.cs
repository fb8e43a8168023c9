using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// One AEM-KDE conditional <c>p(v | x_&lt;d) = λ q_d(v) + (1 − λ) Σ_s w̄_s N(v; x^(s), h²)</c> with its proposal
/// samples drawn once, so it is a fixed, exactly normalised function of v that can be plotted or
/// integrated by quadrature (<see cref="AemKde.Score"/> is the batched form used for test sets).
/// </summary>
internal sealed class ConditionalKde : IDisposable
{
    private readonly AutoregressiveEnergyMachine model;
    private readonly Tensor rawOutputs;  // [1, 1, P]: the ResMADE's outputs that define q_d and γ_d
    private readonly Tensor samples;     // [1, 1, S]
    private readonly Tensor logWeights;  // [1, 1, S]

    private ConditionalKde(AutoregressiveEnergyMachine model, Tensor rawOutputs, Tensor samples, Tensor logWeights)
    {
        this.model = model;
        this.rawOutputs = rawOutputs;
        this.samples = samples;
        this.logWeights = logWeights;
    }

    /// <summary>Proposal samples per conditional.</summary>
    public long Samples => samples.shape[^1];

    /// <summary>
    /// Draws <paramref name="samples"/> proposal samples for dimension <paramref name="dimension"/> (0-based) in
    /// the context of <paramref name="point"/> <c>[D]</c> (entries at and after the dimension are ignored) and
    /// weighs them by φ/q. Eval mode, no-grad; the model's mode is restored.
    /// </summary>
    public static ConditionalKde Fit(AutoregressiveEnergyMachine model, Tensor point, int dimension, int samples, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(point);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one proposal sample.");
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var parameter = model.parameters().First();
            var x = point.reshape(1, -1).to(parameter.dtype, parameter.device);           // [1, D]
            var raw = ConditionalSlice.RawOutputs(model, x, dimension);                   // [1, 1, P]
            var (context, proposal) = model.SplitOutputs(raw);
            var proposalSamples = proposal.Sample(samples, generator);                    // [1, 1, S]
            var logWeights = model.EnergyNet.forward(proposalSamples, context) - proposal.LogProb(proposalSamples);
            return new ConditionalKde(
                model,
                raw.DetachFromDisposeScope(),
                proposalSamples.DetachFromDisposeScope(),
                logWeights.DetachFromDisposeScope());
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>log p(v) at <paramref name="values"/> (any shape, flattened) → float64 <c>[N]</c> on the CPU.</summary>
    public Tensor LogDensity(Tensor values, double bandwidth, double proposalWeight, long maxElements = 1 << 22)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var v = values.reshape(1, 1, -1).to(float64, samples.device);                      // [1, 1, N]
        using var accumulator = new KernelDensityAccumulator(v, [bandwidth]);
        long chunk = Math.Clamp(maxElements / Math.Max(1, v.shape[^1]), 1, Samples);
        for (long done = 0; done < Samples; done += chunk)
        {
            long s = Math.Min(chunk, Samples - done);
            accumulator.Add(samples.narrow(-1, done, s), logWeights.narrow(-1, done, s));
        }
        var proposal = model.SplitOutputs(rawOutputs).Proposal;
        var logProposal = proposal.LogProb(v.to(samples.dtype));                            // [1, 1, N]
        var mixture = KernelDensityAccumulator.Mixture(accumulator.LogKernelDensity(), logProposal, [proposalWeight]);
        return mixture.reshape(-1).to(CPU).MoveToOuterDisposeScope();                      // [N]
    }

    public void Dispose()
    {
        rawOutputs.Dispose();
        samples.Dispose();
        logWeights.Dispose();
    }
}
