namespace Aem.Training;

/// <summary>Mean validation scores at a step, in nats per point.</summary>
/// <param name="Step">The step after which validation ran.</param>
/// <param name="LogDensity">Mean log p̂ (null while in warm-up, when the energy has not trained).</param>
/// <param name="LogProposal">Mean log q.</param>
/// <param name="TrainLogDensity">Mean training log p̂ over the steps since the last validation.</param>
/// <param name="TrainLogProposal">Mean training log q over the steps since the last validation.</param>
public sealed record ValidationScore(int Step, double? LogDensity, double LogProposal, double? TrainLogDensity, double? TrainLogProposal);
