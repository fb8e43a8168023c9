namespace Aem.Training;

/// <summary>A progress report from <see cref="Trainer{TStep, TScore}"/>: what a progress bar or log line shows.</summary>
/// <typeparam name="TStep">The objective's step metrics.</typeparam>
/// <typeparam name="TScore">The objective's validation score.</typeparam>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Train">The mean of the steps since the previous report (null if none was finite).</param>
/// <param name="StepsPerSecond">Recent speed.</param>
/// <param name="Elapsed">Wall time of this run (excluding earlier runs of a resumed training).</param>
/// <param name="Eta">Estimated time to finish, from the recent speed.</param>
/// <param name="Validation">Set when this report follows a validation.</param>
/// <param name="BestScore">Best validation criterion so far.</param>
/// <param name="InWarmup">True during the warm-up.</param>
public sealed record TrainingProgress<TStep, TScore>(
    int Step,
    int TotalSteps,
    TStep? Train,
    double StepsPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Eta,
    TScore? Validation,
    double? BestScore,
    bool InWarmup)
    where TStep : struct, IStepMetrics<TStep>
    where TScore : class, IValidationScore;
