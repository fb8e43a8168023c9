namespace Aem.Training;

/// <summary>Where a <see cref="Trainer{TStep, TScore}"/> saves its checkpoints (a run folder implements it).</summary>
/// <typeparam name="TStep">The objective's step metrics.</typeparam>
/// <typeparam name="TScore">The objective's validation score.</typeparam>
public interface ICheckpointSink<TStep, TScore>
    where TStep : struct, IStepMetrics<TStep>
    where TScore : class, IValidationScore
{
    /// <summary>Saves the model as the best so far (after a validation that improved on it).</summary>
    void SaveBest(Trainer<TStep, TScore> trainer);

    /// <summary>Saves everything needed to resume exactly: model, optimiser moments, options and state.</summary>
    void SaveLast(Trainer<TStep, TScore> trainer);
}
