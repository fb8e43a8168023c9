namespace Aem.Training;

/// <summary>The outcome of <see cref="Trainer{TStep, TScore}.Run"/>.</summary>
/// <typeparam name="TScore">The objective's validation score.</typeparam>
/// <param name="Reason">Why training stopped.</param>
/// <param name="State">The state at the stop.</param>
/// <param name="Message">What to tell the user, for a stop that needs explaining.</param>
public sealed record TrainingResult<TScore>(StopReason Reason, TrainingState<TScore> State, string? Message = null)
    where TScore : class, IValidationScore;
