namespace Aem.Training;

/// <summary>
/// Everything besides weights and optimiser moments that a resumed run needs to continue exactly: every
/// random draw of a step is a function of the seed and the step, so the step count is the whole of it.
/// </summary>
/// <typeparam name="TScore">The objective's validation score.</typeparam>
public sealed record TrainingState<TScore>
    where TScore : class, IValidationScore
{
    /// <summary>Steps completed.</summary>
    public int Step { get; init; }

    /// <summary>The best validation criterion so far, or null.</summary>
    public double? BestScore { get; init; }

    /// <summary>The step of <see cref="BestScore"/>.</summary>
    public int? BestStep { get; init; }

    /// <summary>Validations since the best one (for early stopping).</summary>
    public int ValidationsWithoutImprovement { get; init; }

    /// <summary>Every validation so far, oldest first (the training curves).</summary>
    public IReadOnlyList<TScore> History { get; init; } = [];

    /// <summary>Wall time spent training across all runs of this training.</summary>
    public double TrainingSeconds { get; init; }
}
