using Aem.Evaluation;
using System.Text.Json.Serialization;

namespace Aem.Training;

/// <summary>Mean AEM validation scores at a step, in nats per point, in the units of <see cref="AemObjectiveOptions.LogAbsDetJacobian"/> (the data's, for a standardised table).</summary>
/// <param name="Step">The step after which validation ran.</param>
/// <param name="LogDensity">Mean log p̂ (null while in warm-up, when the energy has not trained).</param>
/// <param name="LogProposal">Mean log q.</param>
/// <param name="TrainLogDensity">Mean training log p̂ over the steps since the last validation.</param>
/// <param name="TrainLogProposal">Mean training log q over the steps since the last validation.</param>
public sealed record ValidationScore(int Step, double? LogDensity, double LogProposal, double? TrainLogDensity, double? TrainLogProposal)
    : IValidationScore
{
    /// <summary>
    /// The validation points' smallest importance-sampling effective sample sizes (one per point, the smallest over
    /// its conditionals): how far to trust <see cref="LogDensity"/>. Null in the warm-up.
    /// </summary>
    public EffectiveSampleSizeSummary? EffectiveSampleSize { get; init; }

    /// <summary>log p̂ once the energy trains; before that only the proposal can be judged.</summary>
    [JsonIgnore]
    public double? Criterion => LogDensity ?? LogProposal;
}
