using Aem.Model;
using TorchSharp;
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
    /// <summary>The baseline's mean ± 2 SE over <paramref name="points"/>, in the offset's units.</summary>
    internal static MeanWithError Baseline(GaussianBaseline baseline, Tensor points, double offset)
    {
        using var logProb = baseline.LogProb(points);
        return MeanWithError.Of(logProb.data<double>().ToArray().Select(v => v + offset).ToArray());
    }

    /// <summary>Points per chunk: progress granularity, and the unit the importance samples are drawn in.</summary>
    public const long PointsPerChunk = 256;

    /// <summary>Scores <paramref name="test"/> (model units) under <paramref name="model"/>.</summary>
    /// <param name="model">The model, on its device.</param>
    /// <param name="test">The points, <c>[N, D]</c>, in the model's units.</param>
    /// <param name="validation">Validation points for choosing AEM-KDE's h and λ (needed with <see cref="TestEvaluationOptions.Kde"/>).</param>
    /// <param name="options">What to score and with how many samples.</param>
    /// <param name="progress">Receives the stage and the points done.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public static TestEvaluationReport Run(
        AutoregressiveEnergyMachine model,
        Tensor test,
        Tensor? validation = null,
        TestEvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new TestEvaluationOptions();
        options.Validate();
        if (test.shape[0] < 1) throw new ArgumentException("There are no points to score.", nameof(test));
        if (options.Kde && validation is null) throw new ArgumentException("AEM-KDE chooses h and λ on validation data; pass the validation split.", nameof(validation));
        var device = model.parameters().First().device;
        using var points = PointSubset.Take(test, options.MaxPoints, options.Seed);
        using var scorer = new PointScorer(model, options.Samples, options.Seed, options.LogAbsDetJacobian, options.MaxRows);
        long n = points.shape[0];
        double offset = options.LogAbsDetJacobian;
        PointScores scores;
        List<double>? logKde = null;
        KdeSelection? selection = null;
        if (!options.Kde)
        {
            scores = scorer.Score(points, done => progress?.Report(new EvaluationProgress(EvaluationProgress.Scoring, done, n)), cancellationToken);
        }
        else
        {
            // A different seed from the test subset's, so the two subsets are drawn independently.
            using var validationPoints = PointSubset.Take(validation!, options.KdeValidationPoints, options.Seed + 1);
            using var onDevice = validationPoints.to(device);
            progress?.Report(new EvaluationProgress(EvaluationProgress.KdeSelection, 0, onDevice.shape[0]));
            selection = AemKde.Select(
                model, onDevice, options.KdeSelectionSamples ?? options.Samples, options.Bandwidths, options.ProposalWeights, scorer.Generator, options.MaxRows);
            progress?.Report(new EvaluationProgress(EvaluationProgress.KdeSelection, onDevice.shape[0], onDevice.shape[0]));
            var logP = new List<double>((int)n);
            var logQ = new List<double>((int)n);
            logKde = new List<double>((int)n);
            for (long start = 0; start < n; start += PointsPerChunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long count = Math.Min(PointsPerChunk, n - start);
                using var chunk = points.narrow(0, start, count).to(device);
                using var kdeScores = AemKde.Score(model, chunk, options.Samples, [selection.Bandwidth], [selection.ProposalWeight], scorer.Generator, options.MaxRows);
                logP.AddRange(kdeScores.LogDensity.data<double>().Select(v => v + offset));
                logQ.AddRange(kdeScores.LogProposal.data<double>().Select(v => v + offset));
                using var kde = kdeScores.LogKde.reshape(-1);
                logKde.AddRange(kde.data<double>().Select(v => v + offset));
                progress?.Report(new EvaluationProgress(EvaluationProgress.Scoring, start + count, n));
            }
            scores = new PointScores([.. logP], [.. logQ], [], []);
        }
        return new TestEvaluationReport(
            MeanWithError.Of(scores.LogDensity),
            MeanWithError.Of(scores.LogProposal),
            logKde is null ? null : MeanWithError.Of(logKde),
            selection,
            options.Samples,
            n,
            test.shape[0])
        {
            MinEffectiveSampleSize = scores.MinEffectiveSampleSize.Length > 0 ? EffectiveSampleSizeSummary.Of(scores.MinEffectiveSampleSize, options.Samples) : null,
            Gaussian = options.Baseline is { } baseline ? Baseline(baseline, points, offset) : null,
            OutsideSupport = scores.LogProposal.LongCount(double.IsNegativeInfinity),
        };
    }
}
