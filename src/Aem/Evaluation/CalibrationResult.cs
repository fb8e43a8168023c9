namespace Aem.Evaluation;

/// <summary>The outcome of <see cref="NormalizerCalibration.Run"/>.</summary>
/// <param name="SampleSizes">The S values, in the order of each conditional's <see cref="CalibrationConditional.LogZHat"/>.</param>
/// <param name="Conditionals">Every conditional tested.</param>
/// <param name="Summaries">Relative-error percentiles per S over the converged conditionals.</param>
public sealed record CalibrationResult(
    IReadOnlyList<int> SampleSizes,
    IReadOnlyList<CalibrationConditional> Conditionals,
    IReadOnlyList<RelativeErrorSummary> Summaries)
{
    /// <summary>Conditionals whose quadrature did not reach the tolerance (left out of the summaries).</summary>
    public int NotConverged => Conditionals.Count(c => !c.Converged);

    /// <summary>Relative errors r = expm1(log Ẑ − log Z) of the converged conditionals for sample-size index <paramref name="index"/>.</summary>
    public double[] RelativeErrors(int index) =>
        Conditionals.Where(c => c.Converged).Select(c => Math.Exp(c.LogZHat[index] - c.LogZ) - 1).ToArray();
}
