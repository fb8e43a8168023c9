using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// The paper's test evaluation (§4.3, SPEC §1.7): the AEM's log-likelihood with S = 20,000 importance
/// samples per conditional in bounded memory, the proposal's beside it, and optionally AEM-KDE with h and λ
/// chosen on validation data; each as mean ± 2 standard errors. With AEM-KDE, all three come from one pass
/// over the same samples.
/// </summary>
public static class TestEvaluation
{
    public static TestEvaluationReport Run(
        AutoregressiveEnergyMachine model,
        Tensor test,
        Tensor? validation = null,
        TestEvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new TestEvaluationOptions();
        options.Validate();
        if (test.shape[0] < 1) throw new ArgumentException("The test split is empty.", nameof(test));
        if (options.Kde && validation is null) throw new ArgumentException("AEM-KDE chooses h and λ on validation data; pass the validation split.", nameof(validation));
        var device = model.parameters().First().device;
        using var points = PointSubset.Take(test, options.MaxPoints, options.Seed);
        using var generator = new Generator((ulong)options.Seed, device);

        if (!options.Kde)
        {
            using var output = LogLikelihoodEstimator.Estimate(model, points, options.Samples, generator, options.MaxRows);
            return new TestEvaluationReport(
                MeanWithError.OfTensor(output.LogDensity),
                MeanWithError.OfTensor(output.LogProposal),
                null,
                null,
                options.Samples,
                points.shape[0],
                test.shape[0]);
        }

        using var validationPoints = PointSubset.Take(validation!, options.KdeValidationPoints, options.Seed + 1);
        var selection = AemKde.Select(
            model,
            validationPoints,
            options.KdeSelectionSamples ?? options.Samples,
            options.Bandwidths,
            options.ProposalWeights,
            generator,
            options.MaxRows,
            progress);
        using var scores = AemKde.Score(model, points, options.Samples, [selection.Bandwidth], [selection.ProposalWeight], generator, options.MaxRows, progress);
        using var kde = scores.LogKde.reshape(-1);
        return new TestEvaluationReport(
            MeanWithError.OfTensor(scores.LogDensity),
            MeanWithError.OfTensor(scores.LogProposal),
            MeanWithError.OfTensor(kde),
            selection,
            options.Samples,
            points.shape[0],
            test.shape[0]);
    }
}
