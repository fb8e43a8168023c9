using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// Large-S log-likelihood estimation (paper §4.3: S = 20,000 per conditional) in bounded memory:
/// points are processed in batches and importance samples in chunks, folding each chunk's
/// log-weights into a running logsumexp. Runs in eval mode under no-grad and restores the
/// model's training mode afterwards.
/// </summary>
public static class LogLikelihoodEstimator
{
    private const int ChunksPerTrim = 16;

    /// <summary>
    /// Estimates log p̂ and log q for every row of <paramref name="data"/> <c>[N, D]</c> (for a conditional
    /// model, rows <c>[x | c]</c> <c>[N, D + C]</c>, giving log p̂(x | c) and log q(x | c)). Results are on
    /// the CPU and detached from any dispose scope: the caller disposes them.
    /// </summary>
    /// <remarks>
    /// Batch i of points draws its importance samples from its own generator, seeded from one draw of
    /// <paramref name="generator"/> and i, so the result does not depend on how batches are shared out.
    /// On the CPU, <paramref name="workers"/> threads (default: torch's thread count) each evaluate
    /// whole batches with one intra-op thread: on two cores that was 3.05–3.42 against 2.75–2.81
    /// points/s for two intra-op threads (POWER, S = 20,000), whose element-wise passes and barriers
    /// scale worse than the matrix products. torch's thread count is set to one meanwhile and restored
    /// afterwards, process-wide: do not run other torch work in the same process at the same time.
    /// <paramref name="estimator"/> places the samples (<see cref="NormalizerEstimator"/>); a stratified batch
    /// draws its shifts from its own generator, so that too is independent of the sharing.
    /// </remarks>
    /// <param name="model">The model, on its device.</param>
    /// <param name="data">Points <c>[N, D]</c> in the model's units, on the model's device.</param>
    /// <param name="samples">S, importance samples per conditional (the paper's test score: 20,000).</param>
    /// <param name="generator">Seeds the importance samples (one draw from it); null uses libtorch's default generator.</param>
    /// <param name="maxRows">Energy-network rows per call: bounds memory (each row is one value of one conditional).</param>
    /// <param name="workers">CPU threads evaluating batches in parallel (default: torch's thread count).</param>
    /// <returns>
    /// <see cref="AemOutput.LogDensity"/>, <see cref="AemOutput.LogProposal"/> and <see cref="AemOutput.BoundedLogDensity"/>
    /// <c>[N]</c>, the per-dimension tensors and <see cref="AemOutput.LogEffectiveSampleSize"/> <c>[N, D]</c>, in nats and the model's units.
    /// </returns>
    /// <param name="estimator">How each conditional's samples are placed (default: independent draws, the paper's).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/>, <paramref name="maxRows"/> or <paramref name="workers"/> is below 1.</exception>
    public static AemOutput Estimate(
        AutoregressiveEnergyMachine model,
        Tensor data,
        int samples,
        Generator? generator = null,
        long maxRows = EnergyRows.Default,
        int? workers = null,
        NormalizerEstimator estimator = NormalizerEstimator.Iid)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Estimate(model, data, samples, Randomness.Seeds.Draw(generator, data.device), maxRows, workers, estimator);
    }

    /// <summary>
    /// <see cref="Estimate(AutoregressiveEnergyMachine, Tensor, int, Generator?, long, int?, NormalizerEstimator)"/> with the seed its
    /// batches derive their generators from given directly (the one value that overload draws).
    /// </summary>
    internal static AemOutput Estimate(
        AutoregressiveEnergyMachine model,
        Tensor data,
        int samples,
        long seed,
        long maxRows = EnergyRows.Default,
        int? workers = null,
        NormalizerEstimator estimator = NormalizerEstimator.Iid)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "Need a positive chunk size.");
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "Need at least one worker.");
        NativeHeap.Tune();
        int features = model.Options.Features;
        long n = data.shape[0];
        // Enough points per batch that the data pass is efficient, few enough that one sample chunk fits.
        long pointsPerBatch = Math.Clamp(maxRows / (features * (long)Math.Min(samples, 1024)), 1, Math.Max(1, n));
        var work = new BatchWork(model, data, samples, estimator, maxRows, pointsPerBatch, seed);
        int threads = get_num_threads();
        int workerCount = data.device_type == DeviceType.CPU ? (int)Math.Clamp(workers ?? threads, 1, Math.Max(1, work.Parts.Length)) : 1;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            if (workerCount == 1)
            {
                work.Run();
            }
            else
            {
                set_num_threads(1);
                try
                {
                    var pool = Enumerable.Range(0, workerCount).Select(_ => TorchWorker.StartThread(work.Run, 1)).ToArray();
                    foreach (var thread in pool) thread.Join();
                }
                finally
                {
                    set_num_threads(threads);
                }
            }
            work.ThrowIfFailed();
            NativeHeap.Trim();
            var parts = work.Parts.Select(p => p!).ToArray();
            return new AemOutput(
                cat(parts.Select(p => p.LogDensity).ToArray(), 0),
                cat(parts.Select(p => p.LogProposal).ToArray(), 0),
                cat(parts.Select(p => p.LogEnergy).ToArray(), 0),
                cat(parts.Select(p => p.LogNormalizer).ToArray(), 0),
                cat(parts.Select(p => p.LogProposalPerFeature).ToArray(), 0))
            {
                LogEffectiveSampleSize = cat(parts.Select(p => p.LogEffectiveSampleSize!).ToArray(), 0),
                BoundedLogDensity = cat(parts.Select(p => p.BoundedLogDensity!).ToArray(), 0),
            };
        }
        finally
        {
            foreach (var part in work.Parts) part?.Dispose();
            model.train(wasTraining);
        }
    }

    /// <summary>The generator of batch <paramref name="batch"/> of an estimate seeded with <paramref name="seed"/>.</summary>
    internal static Generator BatchGenerator(long seed, long batch, Device device) =>
        new((ulong)Randomness.Seeds.Derive(seed, Randomness.Seeds.Streams.EvaluationBatches, batch), device);

    /// <summary>The batches of one call, handed out one at a time to however many threads run <see cref="Run"/>.</summary>
    private sealed class BatchWork(AutoregressiveEnergyMachine model, Tensor data, int samples, NormalizerEstimator estimator, long maxRows, long pointsPerBatch, long seed)
    {
        private long next = -1;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure;

        public AemOutput?[] Parts { get; } = new AemOutput?[(data.shape[0] + pointsPerBatch - 1) / pointsPerBatch];

        public void Run()
        {
            try
            {
                // Grad mode is per thread.
                using var noGrad = no_grad();
                int chunksSinceTrim = 0;
                for (long i = Interlocked.Increment(ref next); i < Parts.Length && failure is null; i = Interlocked.Increment(ref next))
                {
                    RunBatch(i, ref chunksSinceTrim);
                }
            }
            catch (Exception e)
            {
                // Reported on the calling thread by ThrowIfFailed; the other workers stop at their next batch.
                Interlocked.CompareExchange(ref failure, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e), null);
            }
        }

        public void ThrowIfFailed() => failure?.Throw();

        private void RunBatch(long i, ref int chunksSinceTrim)
        {
            long start = i * pointsPerBatch;
            using var scope = NewDisposeScope();
            using var generator = BatchGenerator(seed, i, data.device);
            var batch = data.narrow(0, start, Math.Min(pointsPerBatch, data.shape[0] - start));
            var part = EstimateBatch(model, batch, samples, estimator, generator, maxRows, ref chunksSinceTrim);
            // The batch's results outlive its scope (Parts owns them until the caller disposes them);
            // everything else it made is freed here.
            Parts[i] = part;
            part.DetachFromDisposeScope();
        }
    }

    private static AemOutput EstimateBatch(
        AutoregressiveEnergyMachine model, Tensor rows, int samples, NormalizerEstimator estimator, Generator generator, long maxRows, ref int chunksSinceTrim)
    {
        var (x, given) = model.SplitRows(rows);
        var (context, proposal) = model.Conditionals(x, given);
        long rowsPerSample = x.shape[0] * x.shape[1];
        long chunk = Math.Clamp(maxRows / rowsPerSample, 1, samples);
        var logProposalData = proposal.LogProb(x.unsqueeze(-1)).squeeze(-1);           // [b, D]
        var logEnergyData = ProposalSupport.Restrict(model.EnergyNet.forward(x.unsqueeze(-1), context).squeeze(-1), logProposalData); // [b, D]
        Tensor? runningLogSumExp = null;
        Tensor? runningLogSumExpSquared = null;                                         // of 2·log w, for the ESS
        using var two = 2.0.ToScalar();
        using var placement = new NormalizerSamples(proposal, x.shape, x.device, estimator, samples, generator);
        for (long done = 0; done < samples; done += chunk)
        {
            long s = Math.Min(chunk, samples - done);
            using (var chunkScope = NewDisposeScope())
            {
                var proposalSamples = placement.Next(s);                                // [b, D, s]
                var logWeights = model.EnergyNet.forward(proposalSamples, context) - proposal.LogProb(proposalSamples);
                var updated = LogNormalizer.Accumulate(runningLogSumExp, logWeights).MoveToOuterDisposeScope();
                var updatedSquared = LogNormalizer.Accumulate(runningLogSumExpSquared, logWeights.mul(two)).MoveToOuterDisposeScope();
                runningLogSumExp?.Dispose();
                runningLogSumExpSquared?.Dispose();
                runningLogSumExp = updated;
                runningLogSumExpSquared = updatedSquared;
            }
            // glibc does not reuse the chunks' freed aligned blocks well: the heap grew by ~9 MB per
            // chunk (to 1.2 GB within one D = 63 point). Trimming after every chunk bounded it but cost
            // a quarter of the throughput in page faults; every 16th chunk bounds it at a fraction.
            if (++chunksSinceTrim >= ChunksPerTrim)
            {
                NativeHeap.Trim();
                chunksSinceTrim = 0;
            }
        }
        using var logS = Math.Log(samples).ToScalar();
        using var logSPlusOne = Math.Log(samples + 1).ToScalar();
        var logZ = runningLogSumExp!.sub(logS);                                          // [b, D]
        // The data point's own weight w(x) = φ(x)/q(x), counted as one more sample: a point where φ has
        // mass that the proposal's samples never visit then shows up as one dominating weight (the ESS
        // falls to 1), and the bounded estimate log φ − log Ẑ' stays below log q(x) + log(S + 1).
        // Outside the proposal's support both terms are −∞: the point has no weight there (not NaN).
        var logWeightData = ProposalSupport.Restrict(logEnergyData - logProposalData, logProposalData); // [b, D]
        var inclusive = runningLogSumExp.logaddexp(logWeightData);                      // [b, D]
        var inclusiveSquared = runningLogSumExpSquared!.logaddexp(logWeightData.mul(two));
        // ESS = (Σw)² / Σw², in logs: 2·logsumexp(log w) − logsumexp(2·log w).
        var logEss = inclusive.mul(two).sub(inclusiveSquared);                          // [b, D]
        var boundedLogZ = inclusive.sub(logSPlusOne);                                   // [b, D]
        runningLogSumExp.Dispose();
        runningLogSumExpSquared!.Dispose();
        var cpu = CPU;
        return new AemOutput(
            (logEnergyData - logZ).sum(-1).to(cpu),
            logProposalData.sum(-1).to(cpu),
            logEnergyData.to(cpu),
            logZ.to(cpu),
            logProposalData.to(cpu))
        {
            LogEffectiveSampleSize = logEss.to(cpu),
            BoundedLogDensity = (logEnergyData - boundedLogZ).sum(-1).to(cpu),
        };
    }
}
