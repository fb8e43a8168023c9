using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// AEM-KDE, the paper's normalised approximation to an AEM (§4.3, SPEC §1.7). Per conditional,
/// <c>p(x_d) = λ q_d(x_d) + (1 − λ) Σ_s w̄_s N(x_d; x^(s), h²)</c> with <c>x^(s) ~ q_d</c> and
/// self-normalised weights <c>w̄_s ∝ φ(x^(s))/q_d(x^(s))</c>; each conditional integrates to exactly one,
/// so the product is a normalised density. The proposal component covers regions the samples miss.
/// h and λ are chosen on validation data (<see cref="Select"/>); all bandwidths of a grid are scored from
/// one pass over the samples. The AEM's own log p̂ is computed from the same samples at no extra cost.
/// </summary>
internal static class AemKde
{
    /// <summary>The paper's number of proposal samples per conditional.</summary>
    public const int PaperSamples = 20_000;

    /// <summary>Default bandwidth grid: 13 values log-spaced from 10⁻³ to 1 (model units; tabular data are standardised).</summary>
    public static IReadOnlyList<double> DefaultBandwidths { get; } =
        Enumerable.Range(0, 13).Select(k => Math.Pow(10, -3 + (k / 4.0))).ToArray();

    /// <summary>Default proposal-weight grid.</summary>
    public static IReadOnlyList<double> DefaultProposalWeights { get; } = [0.01, 0.05, 0.1, 0.2, 0.5];

    /// <summary>
    /// Scores every row of <paramref name="data"/> <c>[N, D]</c> (rows <c>[x | c]</c> for a conditional model) under the AEM, the proposal and AEM-KDE for
    /// every (h, λ) in the grids, with <paramref name="samples"/> proposal samples per conditional, in bounded
    /// memory (at most about <paramref name="maxRows"/> energy-network rows per call). Eval mode, no-grad;
    /// the model's mode is restored.
    /// </summary>
    public static KdeScores Score(
        AutoregressiveEnergyMachine model,
        Tensor data,
        int samples,
        IReadOnlyList<double> bandwidths,
        IReadOnlyList<double> proposalWeights,
        Generator? generator = null,
        long maxRows = EnergyRows.Default,
        IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "Need a positive chunk size.");
        long n = data.shape[0];
        int features = model.Options.Features;
        long pointsPerBatch = Math.Clamp(maxRows / (features * (long)Math.Min(samples, 1024)), 1, Math.Max(1, n));
        var device = model.parameters().First().device;
        var dtype = model.parameters().First().dtype;
        var logDensity = new List<Tensor>();
        var logProposal = new List<Tensor>();
        var logKde = new List<Tensor>();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (long start = 0; start < n; start += pointsPerBatch)
            {
                long count = Math.Min(pointsPerBatch, n - start);
                using var scope = NewDisposeScope();
                var x = data.narrow(0, start, count).to(dtype, device);
                var (density, proposal, kde) = ScoreBatch(model, x, samples, bandwidths, proposalWeights, generator, maxRows);
                logDensity.Add(density.to(CPU).DetachFromDisposeScope());
                logProposal.Add(proposal.to(CPU).DetachFromDisposeScope());
                logKde.Add(kde.to(CPU).DetachFromDisposeScope());
                progress?.Report(new EvaluationProgress("AEM-KDE", start + count, n));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        var result = new KdeScores(
            Concatenate(logDensity, [0]),
            Concatenate(logProposal, [0]),
            Concatenate(logKde, [0, bandwidths.Count, proposalWeights.Count]),
            bandwidths.ToArray(),
            proposalWeights.ToArray(),
            samples);
        return result;
    }

    /// <summary>
    /// Chooses h and λ by mean log-likelihood on <paramref name="validation"/> (pass a subset to save time).
    /// </summary>
    public static KdeSelection Select(
        AutoregressiveEnergyMachine model,
        Tensor validation,
        int samples = PaperSamples,
        IReadOnlyList<double>? bandwidths = null,
        IReadOnlyList<double>? proposalWeights = null,
        Generator? generator = null,
        long maxRows = EnergyRows.Default,
        IProgress<EvaluationProgress>? progress = null)
    {
        bandwidths ??= DefaultBandwidths;
        proposalWeights ??= DefaultProposalWeights;
        using var scores = Score(model, validation, samples, bandwidths, proposalWeights, generator, maxRows, progress);
        using var means = scores.LogKde.mean([0]);                                          // [H, L]
        var grid = new double[bandwidths.Count][];
        int bestH = 0, bestL = 0;
        for (int h = 0; h < bandwidths.Count; h++)
        {
            grid[h] = new double[proposalWeights.Count];
            for (int l = 0; l < proposalWeights.Count; l++)
            {
                grid[h][l] = means[h, l].ToDouble();
                // NaN never wins; ties keep the first (smaller h, smaller λ).
                if (grid[h][l] > grid[bestH][bestL] || double.IsNaN(grid[bestH][bestL])) (bestH, bestL) = (h, l);
            }
        }
        using var best = scores.LogKde.select(2, bestL).select(1, bestH);                    // [N]
        return new KdeSelection(
            bandwidths[bestH],
            proposalWeights[bestL],
            MeanWithError.OfTensor(best),
            bandwidths.ToArray(),
            proposalWeights.ToArray(),
            grid,
            validation.shape[0],
            samples);
    }

    private static (Tensor LogDensity, Tensor LogProposal, Tensor LogKde) ScoreBatch(
        AutoregressiveEnergyMachine model,
        Tensor rows,
        int samples,
        IReadOnlyList<double> bandwidths,
        IReadOnlyList<double> proposalWeights,
        Generator? generator,
        long maxRows)
    {
        var (x, given) = model.SplitRows(rows);
        var (context, proposal) = model.Conditionals(x, given);
        var values = x.unsqueeze(-1);                                                   // [b, D, 1]
        var logProposalData = proposal.LogProb(values).to(float64);                     // [b, D, 1]
        var logEnergyData = model.EnergyNet.forward(values, context).to(float64).squeeze(-1); // [b, D]
        using var accumulator = new KernelDensityAccumulator(values, bandwidths);
        long chunk = Math.Clamp(maxRows / (x.shape[0] * x.shape[1]), 1, samples);
        for (long done = 0; done < samples; done += chunk)
        {
            using (var chunkScope = NewDisposeScope())
            {
                var proposalSamples = proposal.Sample(Math.Min(chunk, samples - done), generator); // [b, D, s]
                var logWeights = model.EnergyNet.forward(proposalSamples, context) - proposal.LogProb(proposalSamples);
                accumulator.Add(proposalSamples, logWeights);
            }
            // As in LogLikelihoodEstimator: return freed pages so the fragmented heap does not grow.
            NativeHeap.Trim();
        }
        using var logS = Math.Log(samples).ToScalar();
        var logZ = accumulator.LogWeightSum.sub(logS);                                  // [b, D]
        var mixture = KernelDensityAccumulator.Mixture(accumulator.LogKernelDensity(), logProposalData, proposalWeights); // [b, D, 1, H, L]
        return (
            (logEnergyData - logZ).sum(-1),
            logProposalData.squeeze(-1).sum(-1),
            mixture.squeeze(2).sum(1));                                                 // [b, H, L]
    }

    private static Tensor Concatenate(List<Tensor> parts, long[] emptyShape)
    {
        if (parts.Count == 0) return zeros(emptyShape, float64);
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }
}
