using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// The paper's test evaluation (§4.3, SPEC §1.7), the one scoring path that <c>aem evaluate</c>, the demo
/// and the tests use: the AEM's log-likelihood with S importance samples per conditional in bounded memory,
/// the proposal's beside it, and optionally AEM-KDE with h and λ chosen on validation data (all three then
/// from one pass over the same samples); each as mean ± 2 standard errors over the points. Points are
/// scored in chunks of <see cref="PointsPerChunk"/>, one after another from one seeded generator, and
/// progress is reported after each chunk.
/// </summary>
public static class TestEvaluation
{
    /// <summary>Points per chunk: progress granularity, and the unit the importance samples are drawn in.</summary>
    public const long PointsPerChunk = 256;

    /// <summary>Scores <paramref name="test"/> (model units) under <paramref name="model"/>.</summary>
    /// <param name="model">The model, on its device.</param>
    /// <param name="test">The points, <c>[N, D]</c>, in the model's units.</param>
    /// <param name="validation">Validation points for choosing AEM-KDE's h and λ (needed with <see cref="TestEvaluationOptions.Kde"/>).</param>
    /// <param name="options">What to score and with how many samples.</param>
    /// <param name="progress">Receives the stage and the points done.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <returns>Mean ± 2 SE of log p̂, log q (and AEM-KDE) over the points, in nats per point, with the offset's units.</returns>
    /// <exception cref="ArgumentException">There are no test points, an option is invalid, or AEM-KDE is asked for without validation points.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TestEvaluationReport Run(
        AutoregressiveEnergyMachine model,
        Tensor test,
        Tensor? validation = null,
        TestEvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Summarize(ScorePoints(model, test, validation, options, Shard.Whole, progress, cancellationToken));

    /// <summary>
    /// Scores the chunks of <paramref name="test"/> that belong to <paramref name="shard"/>, point by point,
    /// exactly as <see cref="Run"/> scores them in one process: the seeded subset, AEM-KDE's selection and every
    /// chunk's importance samples do not depend on the shard. <see cref="ScoredPoints.Merge"/> puts the shards
    /// together; <see cref="Summarize"/> makes the report.
    /// </summary>
    /// <param name="model">The model, on its device.</param>
    /// <param name="test">The points, <c>[N, D]</c>, in the model's units (all of them, whatever the shard).</param>
    /// <param name="validation">Validation points for choosing AEM-KDE's h and λ (needed with <see cref="TestEvaluationOptions.Kde"/>; every shard chooses them again, identically).</param>
    /// <param name="options">What to score and with how many samples.</param>
    /// <param name="shard">Which chunks to score (<see cref="Shard.Whole"/>: all).</param>
    /// <param name="progress">Receives the stage and the shard's points done.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public static ScoredPoints ScorePoints(
        AutoregressiveEnergyMachine model,
        Tensor test,
        Tensor? validation,
        TestEvaluationOptions? options,
        Shard shard,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(shard);
        options ??= new TestEvaluationOptions();
        options.Validate();
        if (test.shape[0] < 1) throw new ArgumentException("There are no points to score.", nameof(test));
        if (options.Kde && validation is null) throw new ArgumentException("AEM-KDE chooses h and λ on validation data; pass the validation split.", nameof(validation));
        var device = model.parameters().First().device;
        using var points = PointSubset.Take(test, options.MaxPoints, options.Seed);
        using var scorer = new PointScorer(model, options.Samples, options.Seed, options.LogAbsDetJacobian, options.MaxRows, options.Normalizer);
        long n = points.shape[0];
        long mine = shard.PointsOf(n);
        double offset = options.LogAbsDetJacobian;
        KdeSelection? selection = null;
        if (options.Kde)
        {
            // A different seed from the test subset's, so the two subsets are drawn independently.
            using var validationPoints = PointSubset.Take(validation!, options.KdeValidationPoints, options.Seed + 1);
            using var onDevice = validationPoints.to(device);
            progress?.Report(new EvaluationProgress(EvaluationProgress.KdeSelection, 0, onDevice.shape[0]));
            selection = AemKde.Select(
                model, onDevice, options.KdeSelectionSamples ?? options.Samples, options.Bandwidths, options.ProposalWeights, scorer.Generator, options.MaxRows);
            progress?.Report(new EvaluationProgress(EvaluationProgress.KdeSelection, onDevice.shape[0], onDevice.shape[0]));
        }
        var logP = new List<double>((int)mine);
        var logQ = new List<double>((int)mine);
        var ess = new List<double>((int)mine);
        var bounded = new List<double>((int)mine);
        var logKde = selection is null ? null : new List<double>((int)mine);
        var gaussian = options.Baseline is null ? null : new List<double>((int)mine);
        long chunkIndex = 0;
        for (long start = 0; start < n; start += PointsPerChunk, chunkIndex++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long count = Math.Min(PointsPerChunk, n - start);
            if (!shard.Owns(chunkIndex))
            {
                scorer.Skip(count);
                continue;
            }
            using var chunk = points.narrow(0, start, count);
            if (selection is null)
            {
                var scores = scorer.Score(chunk, cancellationToken: cancellationToken);
                logP.AddRange(scores.LogDensity);
                logQ.AddRange(scores.LogProposal);
                ess.AddRange(scores.MinEffectiveSampleSize);
                bounded.AddRange(scores.BoundedLogDensity);
            }
            else
            {
                // One seed per chunk, as the plain scorer draws, so that a shard can skip the chunks of others.
                using var generator = new Generator((ulong)scorer.NextChunkSeed(), device);
                using var onDevice = chunk.to(device);
                using var kdeScores = AemKde.Score(model, onDevice, options.Samples, [selection.Bandwidth], [selection.ProposalWeight], generator, options.MaxRows);
                logP.AddRange(kdeScores.LogDensity.data<double>().Select(v => v + offset));
                logQ.AddRange(kdeScores.LogProposal.data<double>().Select(v => v + offset));
                using var kde = kdeScores.LogKde.reshape(-1);
                logKde!.AddRange(kde.data<double>().Select(v => v + offset));
            }
            if (options.Baseline is { } baseline)
            {
                using var logProb = baseline.LogProb(chunk);
                gaussian!.AddRange(logProb.data<double>().ToArray().Select(v => v + offset));
            }
            progress?.Report(new EvaluationProgress(EvaluationProgress.Scoring, logP.Count, mine));
        }
        return new ScoredPoints(shard, n, new PointScores([.. logP], [.. logQ], [.. ess], [.. bounded]), logKde?.ToArray(), gaussian?.ToArray())
        {
            Samples = options.Samples,
            Normalizer = options.Normalizer,
            AvailablePoints = test.shape[0],
            KdeSelection = selection,
            Fingerprint = PointFingerprint.Of(points),
        };
    }

    /// <summary>
    /// The report of scored points: mean ± 2 SE of every column, and the spread of the smallest effective
    /// sample sizes. Of <see cref="ScoredPoints.Merge"/>'s whole, it is the report of <see cref="Run"/> to the bit.
    /// </summary>
    public static TestEvaluationReport Summarize(ScoredPoints points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var scores = points.Scores;
        if (scores.Count == 0) throw new ArgumentException($"Shard {points.Shard} has no points to summarise.", nameof(points));
        return new TestEvaluationReport(
            MeanWithError.Of(scores.LogDensity),
            MeanWithError.Of(scores.LogProposal),
            points.LogKde is null ? null : MeanWithError.Of(points.LogKde),
            points.KdeSelection,
            points.Samples,
            scores.Count,
            points.AvailablePoints)
        {
            Normalizer = points.Normalizer,
            MinEffectiveSampleSize = scores.MinEffectiveSampleSize.Length > 0 ? EffectiveSampleSizeSummary.Of(scores.MinEffectiveSampleSize, points.Samples) : null,
            Gaussian = points.Gaussian is null ? null : MeanWithError.Of(points.Gaussian),
            OutsideSupport = scores.LogProposal.LongCount(double.IsNegativeInfinity),
        };
    }
}
