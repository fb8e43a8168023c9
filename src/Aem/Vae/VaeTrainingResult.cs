using Aem.Training;

namespace Aem.Vae;

/// <summary>The outcome of <see cref="VaeTrainer.Run"/>.</summary>
public sealed record VaeTrainingResult(StopReason Reason, VaeTrainingState State, string? Message = null);
