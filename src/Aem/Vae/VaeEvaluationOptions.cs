namespace Aem.Vae;

/// <summary>How to evaluate the rows of the paper's Table 2 (<see cref="VaeExperiment.Evaluate"/>).</summary>
public sealed record VaeEvaluationOptions
{
    /// <summary>K, posterior samples per test image for the importance-weighted bound (paper: 50).</summary>
    public int Samples { get; init; } = ImportanceWeightedBound.DefaultSamples;

    /// <summary>S, importance samples per conditional for the AEM prior's log p̂(z) (paper: 1,000).</summary>
    public int PriorSamples { get; init; } = 1000;

    /// <summary>
    /// S for the AEM-KDE prior, proposal samples per conditional in both the (h, λ) search and the test
    /// scores (the paper: 20,000; 1,000 by default to keep CPU cost like the AEM row's).
    /// </summary>
    public int KdeSamples { get; init; } = 1000;

    /// <summary>
    /// Validation latents for the AEM-KDE (h, λ) search: one posterior draw from each of the first this many
    /// validation images (fixed binarisation).
    /// </summary>
    public int KdeValidationPoints { get; init; } = 500;

    /// <summary>Evaluate only the first this many test images (null: all 10,000).</summary>
    public int? MaxPoints { get; init; }

    /// <summary>Test images per batch (each makes K decoder passes).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Seeds the posterior samples (shared by all priors) and the AEM's importance samples.</summary>
    public long Seed { get; init; } = 1;
}
