namespace Aem.Training;

/// <summary>What one AEM training step yields, in nats per point (log-likelihoods in the units of <see cref="AemObjectiveOptions.LogAbsDetJacobian"/>).</summary>
/// <param name="Loss">−(α·mean log p̂ + mean log q), in the model's units (what the optimiser minimises).</param>
/// <param name="LogDensity">Mean log p̂ of the batch; null during the warm-up, when the energy term is skipped.</param>
/// <param name="LogProposal">Mean log q of the batch.</param>
public readonly record struct AemStep(double Loss, double? LogDensity, double LogProposal) : IStepMetrics<AemStep>
{
    /// <summary>Means term by term; log p̂ over the steps that have it.</summary>
    /// <param name="steps">The steps to summarise, e.g. those since the last progress report.</param>
    public static AemStep Mean(IReadOnlyList<AemStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        double loss = 0, logDensity = 0, logProposal = 0;
        int energySteps = 0;
        foreach (var step in steps)
        {
            loss += step.Loss;
            logProposal += step.LogProposal;
            if (step.LogDensity is { } d)
            {
                energySteps++;
                logDensity += d;
            }
        }
        return new AemStep(
            steps.Count > 0 ? loss / steps.Count : double.NaN,
            energySteps > 0 ? logDensity / energySteps : null,
            steps.Count > 0 ? logProposal / steps.Count : double.NaN);
    }
}
