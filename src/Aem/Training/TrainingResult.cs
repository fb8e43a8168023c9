namespace Aem.Training;

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
public sealed record TrainingResult(StopReason Reason, TrainingState State, string? Message = null);
