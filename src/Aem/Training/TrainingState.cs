namespace Aem.Training;

/// <summary>Everything besides weights and optimiser moments that a resumed run needs to continue exactly.</summary>
public sealed record TrainingState
{
    /// <summary>Steps completed.</summary>
    public int Step { get; init; }

    /// <summary>Best validation score so far (log p̂ after warm-up, log q before), or null.</summary>
    public double? BestScore { get; init; }

    public int? BestStep { get; init; }

    /// <summary>Validations since the best one (for early stopping).</summary>
    public int ValidationsWithoutImprovement { get; init; }

    /// <summary>Every validation so far, oldest first (the training curves).</summary>
    public IReadOnlyList<ValidationScore> History { get; init; } = [];

    /// <summary>Wall time spent training across all runs.</summary>
    public double TrainingSeconds { get; init; }
}
