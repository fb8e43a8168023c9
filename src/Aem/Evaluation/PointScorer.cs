using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// Scores points one chunk after another with S importance samples per conditional — the scoring that
/// <see cref="TestEvaluation"/> does — keeping its seeded generator between calls: points scored in
/// several calls get exactly the scores they get in one, as long as every call but the last hands over a
/// multiple of <see cref="TestEvaluation.PointsPerChunk"/> points. So a file streamed through it in
/// blocks, and the same rows scored whole by <c>aem evaluate</c>, agree to the bit.
/// </summary>
/// <remarks>
/// Chunk k's importance samples come from the k-th seed drawn from the generator (one draw per chunk,
/// whatever its size and S), so <see cref="Skip"/> moves past chunks without scoring them and a
/// <see cref="Shard"/> scores its chunks exactly as one process scoring all of them would.
/// </remarks>
public sealed class PointScorer : IDisposable
{
    private readonly AutoregressiveEnergyMachine model;
    private readonly Generator generator;
    private readonly Device device;

    /// <param name="model">The model (on its device).</param>
    /// <param name="samples">S, importance samples per conditional.</param>
    /// <param name="seed">Seeds the importance samples.</param>
    /// <param name="logAbsDetJacobian">Added to every log-density: the data's standardisation, to score in the data's units.</param>
    /// <param name="maxRows">Energy-network rows per call (bounds memory).</param>
    /// <param name="normalizer">How each conditional's S samples are placed (default: independent draws, the paper's).</param>
    public PointScorer(
        AutoregressiveEnergyMachine model, int samples, long seed, double logAbsDetJacobian = 0, long maxRows = EnergyRows.Default, NormalizerEstimator normalizer = NormalizerEstimator.Iid)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        if (!double.IsFinite(logAbsDetJacobian)) throw new ArgumentOutOfRangeException(nameof(logAbsDetJacobian), logAbsDetJacobian, "The offset must be finite.");
        this.model = model;
        Samples = samples;
        Offset = logAbsDetJacobian;
        MaxRows = maxRows;
        Normalizer = normalizer;
        device = model.parameters().First().device;
        generator = new Generator((ulong)seed, device);
    }

    /// <summary>S, the importance samples per conditional behind every estimate.</summary>
    public int Samples { get; }

    /// <summary>Added to every log-density.</summary>
    public double Offset { get; }

    /// <summary>Energy-network rows per call.</summary>
    public long MaxRows { get; }

    /// <summary>How each conditional's samples are placed.</summary>
    public NormalizerEstimator Normalizer { get; }

    /// <summary>The generator the chunks draw from (<see cref="TestEvaluation"/> shares it with AEM-KDE's selection).</summary>
    internal Generator Generator => generator;

    /// <summary>Chunks scored or skipped so far: the index of the next chunk.</summary>
    public long ChunksDone { get; private set; }

    /// <summary>The seed of the next chunk's importance samples; the chunk counts as done.</summary>
    internal long NextChunkSeed()
    {
        ChunksDone++;
        return Randomness.Seeds.Draw(generator, device);
    }

    /// <summary>
    /// Moves past <paramref name="points"/> points as if they had been scored (a multiple of
    /// <see cref="TestEvaluation.PointsPerChunk"/>, or the last chunk's remainder), at the cost of one random
    /// draw per chunk.
    /// </summary>
    public void Skip(long points)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(points);
        for (long start = 0; start < points; start += TestEvaluation.PointsPerChunk) NextChunkSeed();
    }

    /// <summary>Scores <paramref name="points"/> <c>[n, D]</c> (model units) in chunks, reporting the points done after each.</summary>
    /// <param name="points">Points <c>[n, D]</c> in the model's units, on any device (each chunk is moved to the model's).</param>
    /// <param name="chunkDone">Called after each chunk of <see cref="TestEvaluation.PointsPerChunk"/> points with the points done so far.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <returns>Per-point scores in nats, <see cref="Offset"/> added, in the points' order.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public PointScores Score(Tensor points, Action<long>? chunkDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        long n = points.shape[0];
        var logP = new double[n];
        var logQ = new double[n];
        var ess = new double[n];
        var bounded = new double[n];
        for (long start = 0; start < n; start += TestEvaluation.PointsPerChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long count = Math.Min(TestEvaluation.PointsPerChunk, n - start);
            using var chunk = points.narrow(0, start, count).to(device);
            using var output = LogLikelihoodEstimator.Estimate(model, chunk, Samples, NextChunkSeed(), MaxRows, estimator: Normalizer);
            using var density = output.LogDensity.to(float64);
            using var proposal = output.LogProposal.to(float64);
            using var logEss = output.LogEffectiveSampleSize!.to(float64);
            using var boundedDensity = output.BoundedLogDensity!.to(float64);
            using var minLogEss = logEss.amin([1]);
            var p = density.data<double>();
            var q = proposal.data<double>();
            var e = minLogEss.data<double>();
            var b = boundedDensity.data<double>();
            for (int i = 0; i < count; i++)
            {
                logP[start + i] = p[i] + Offset;
                logQ[start + i] = q[i] + Offset;
                ess[start + i] = Math.Exp(e[i]);
                bounded[start + i] = b[i] + Offset;
            }
            chunkDone?.Invoke(start + count);
        }
        return new PointScores(logP, logQ, ess, bounded);
    }

    /// <summary>Releases the generator (not the model).</summary>
    public void Dispose() => generator.Dispose();
}
