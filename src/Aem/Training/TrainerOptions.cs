using static Aem.Training.OptionChecks;

namespace Aem.Training;

/// <summary>
/// How to train, whatever the objective (paper §3.2 and appendix B; SPEC §1.5): Adam (β 0.9/0.999,
/// ε 1e-8, no weight decay) with a learning rate annealed to zero by a cosine over the step budget, an
/// optional warm-up, periodic validation that keeps the best model, optional early stopping, budgets in
/// steps and wall time, and checkpoints. The objective's own settings live with the objective.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Rows per step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Total optimisation steps; the learning rate anneals to zero over them.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Steps at the start that train only what the objective trains first (for the AEM: the proposal, α = 0).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Adam's initial learning rate.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>
    /// Steps over which the learning rate ramps up linearly to the cosine's value (0: none, the paper's
    /// schedule). Unrelated to <see cref="WarmupSteps"/>, which chooses what is trained.
    /// </summary>
    public int LearningRateRampSteps { get; init; }

    /// <summary>Validate every this many steps (and at the end); 0 turns validation off.</summary>
    public int ValidateEvery { get; init; } = 1000;

    /// <summary>At most this many validation rows (a fixed subset), to bound the cost of a validation.</summary>
    public int ValidationPoints { get; init; } = 4096;

    /// <summary>Stop after this many validations without improvement; null never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>Clip the global gradient norm to this value; null (the paper's setting) does not clip.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Stop training after this many consecutive non-finite losses or gradients.</summary>
    public int MaxNonFiniteSteps { get; init; } = 5;

    /// <summary>Report progress every this many steps.</summary>
    public int ReportEvery { get; init; } = 50;

    /// <summary>Save the resumable checkpoint every this many steps (when a checkpoint sink is given); 0 only at the end.</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>Stop (and checkpoint) after this much wall time in this run; null for no limit.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Seeds batches, dropout and samples; a run is a function of its seed.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        AtLeast(BatchSize, 1, nameof(BatchSize));
        AtLeast(Steps, 1, nameof(Steps));
        AtLeast(WarmupSteps, 0, nameof(WarmupSteps));
        Positive(LearningRate, nameof(LearningRate));
        AtLeast(LearningRateRampSteps, 0, nameof(LearningRateRampSteps));
        AtLeast(ValidateEvery, 0, nameof(ValidateEvery));
        AtLeast(ValidationPoints, 1, nameof(ValidationPoints));
        if (Patience is { } patience) AtLeast(patience, 1, nameof(Patience));
        if (GradientClipNorm is { } clip) Positive(clip, nameof(GradientClipNorm));
        AtLeast(MaxNonFiniteSteps, 1, nameof(MaxNonFiniteSteps));
        AtLeast(ReportEvery, 1, nameof(ReportEvery));
        AtLeast(CheckpointEvery, 0, nameof(CheckpointEvery));
        if (MaxDuration is { } duration && duration <= TimeSpan.Zero) throw new ArgumentException($"MaxDuration must be positive (got {duration}).", nameof(MaxDuration));
    }
}
