namespace Aem.Training;

/// <summary>The scalars one training step yields.</summary>
internal readonly record struct StepStats(double Loss, double? LogDensity, double LogProposal);
