namespace Aem.Vae;

/// <summary>How to evaluate the rows of the paper's Table 2 (<see cref="VaeExperiment.Evaluate"/>).</summary>
public sealed record VaeEvaluationOptions
{
    /// <summary>K, posterior samples per test image for the importance-weighted bound (paper: 50).</summary>
    public int Samples { get; init; } = ImportanceWeightedBound.DefaultSamples;

    /// <summary>S, importance samples per conditional for the AEM prior's log p̂(z) (paper: 1,000).</summary>
    public int PriorSamples { get; init; } = 1000;

    /// <summary>Evaluate only the first this many test images (null: all 10,000).</summary>
    public int? MaxPoints { get; init; }

    /// <summary>Test images per batch (each makes K decoder passes).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Seeds the posterior samples (shared by all priors) and the AEM's importance samples.</summary>
    public long Seed { get; init; } = 1;
}
