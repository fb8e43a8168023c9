namespace Aem.Training;

/// <summary>A progress report from <see cref="Trainer"/>: what a progress bar or log line shows.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Loss">Mean training loss since the previous report.</param>
/// <param name="TrainLogDensity">Mean training log p̂ since the previous report (null during warm-up).</param>
/// <param name="TrainLogProposal">Mean training log q since the previous report.</param>
/// <param name="StepsPerSecond">Recent speed.</param>
/// <param name="Elapsed">Wall time of this run (excluding earlier runs of a resumed training).</param>
/// <param name="Eta">Estimated time to finish, from the recent speed.</param>
/// <param name="Validation">Set when this report follows a validation.</param>
/// <param name="BestValidationLogDensity">Best validation log p̂ so far.</param>
/// <param name="InWarmup">True while only the proposal trains.</param>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    double Loss,
    double? TrainLogDensity,
    double TrainLogProposal,
    double StepsPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Eta,
    ValidationScore? Validation,
    double? BestValidationLogDensity,
    bool InWarmup);
