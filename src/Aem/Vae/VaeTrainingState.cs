namespace Aem.Vae;

/// <summary>Everything besides weights and optimiser moments that a resumed VAE run needs to continue exactly.</summary>
public sealed record VaeTrainingState
{
    /// <summary>Steps completed.</summary>
    public int Step { get; init; }

    /// <summary>Best validation ELBO so far, or null.</summary>
    public double? BestElbo { get; init; }

    public int? BestStep { get; init; }

    /// <summary>Every validation so far, oldest first.</summary>
    public IReadOnlyList<VaeValidationScore> History { get; init; } = [];

    /// <summary>Wall time spent training across all runs.</summary>
    public double TrainingSeconds { get; init; }
}
