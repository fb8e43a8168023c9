namespace Aem.Vae;

/// <summary>
/// How to fit a latent prior (<see cref="VaeExperiment.FitPrior"/>): the step and time budget of the
/// "vae prior" preset's training, and how to sample the aggregate posterior. By default each training
/// image is binarised and encoded once and 10 latents are drawn from its q(z|x): 500,000 latents, more
/// than the prior sees in a CPU budget; the encoder dominates the cost of drawing them.
/// </summary>
public sealed record PriorFitOptions
{
    /// <summary>Optimisation steps (the preset's 100,000 if null).</summary>
    public int? Steps { get; init; }

    /// <summary>Batch size (the preset's 256 if null).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Stop (and checkpoint) after this much wall time in this run; null for no limit.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Binarisations (and encodings) of each training image.</summary>
    public int Encodings { get; init; } = 1;

    /// <summary>Encode only the first this many training images (null: all 50,000), for quick runs.</summary>
    public int? MaxImages { get; init; }

    /// <summary>Latents drawn from each encoding's q(z|x).</summary>
    public int SamplesPerEncoding { get; init; } = 10;

    /// <summary>Validate every this many steps (on latents of the validation images, one each).</summary>
    public int ValidateEvery { get; init; } = 500;

    /// <summary>S for validation estimates of log p̂.</summary>
    public int ValidationSamples { get; init; } = 100;

    /// <summary>Validation latents: one from each of the first this many validation images.</summary>
    public int ValidationPoints { get; init; } = 2000;

    /// <summary>Save the resumable checkpoint (<c>last/</c>) every this many steps; 0 only at the end.</summary>
    public int CheckpointEvery { get; init; } = 200;

    /// <summary>Report progress every this many steps.</summary>
    public int ReportEvery { get; init; } = 20;

    /// <summary>
    /// Start from the weights of this prior checkpoint (or run folder) instead of a fresh model, e.g. an AEM
    /// from a proposal-only run, so that a short CPU budget goes to the energy network. Null: from scratch, as the paper.
    /// </summary>
    public string? InitialWeights { get; init; }

    /// <summary>Seeds the latents and the training.</summary>
    public long Seed { get; init; } = 1;
}
