using Aem.Data;

namespace Aem.Runs;

/// <summary>
/// The units a run's log-likelihoods are reported in, and the log |det| added to the model's scores to get
/// there. A user's file that was standardised is scored in its own original units; the paper's tabular
/// sets stay in their preprocessed space, as in the MAF convention the published numbers follow.
/// </summary>
/// <param name="Description">The units in words, for reports.</param>
/// <param name="LogAbsDetJacobian">Added to every model-unit log-density (0 when scores stay in model units).</param>
public sealed record ScoreUnits(string Description, double LogAbsDetJacobian)
{
    /// <summary>The units for <paramref name="data"/> under the model's <paramref name="standardizer"/>.</summary>
    public static ScoreUnits For(DataRequest? data, Standardizer? standardizer)
    {
        if (data?.BuiltInName is { } name && DataCatalog.PaperTabular.Contains(name))
        {
            return new ScoreUnits("the dataset's preprocessed space (the MAF convention of the published numbers)", 0);
        }
        if (standardizer is not null)
        {
            return new ScoreUnits(
                $"the data's original units (standardised-space scores + log|det| {standardizer.LogAbsDetJacobian:0.0000})",
                standardizer.LogAbsDetJacobian);
        }
        return new ScoreUnits("the data's own units", 0);
    }
}
