using static Aem.Training.OptionChecks;

namespace Aem.Vae;

/// <summary>
/// How to pre-train a <see cref="ConvVae"/> with a standard Gaussian prior: maximise the β-weighted bound
/// <c>L_β = E_q[log p(x|z)] − β KL(q(z|x) ‖ N(0, I))</c> (paper eq. 12, β = 0.9) on dynamically binarised
/// images, with Adam and a learning rate annealed to zero over the step budget by a cosine. The paper gives
/// no VAE optimiser settings; these are common ones for this architecture (IAF, NAF use similar).
/// </summary>
public sealed record VaeTrainerOptions
{
    public int BatchSize { get; init; } = 100;

    /// <summary>Total optimisation steps; the learning rate anneals to zero over them.</summary>
    public int Steps { get; init; } = 100_000;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>β, the weight of the KL term during pre-training (paper eq. 12).</summary>
    public double Beta { get; init; } = 0.9;

    /// <summary>Validate every this many steps (and at the end); 0 turns validation off.</summary>
    public int ValidateEvery { get; init; } = 1000;

    /// <summary>At most this many validation images (the first ones of the fixed binarisation), to bound its cost.</summary>
    public int ValidationPoints { get; init; } = 2000;

    /// <summary>Report progress every this many steps.</summary>
    public int ReportEvery { get; init; } = 20;

    /// <summary>Save the resumable checkpoint every this many steps (when a run directory is given); 0 only at the end.</summary>
    public int CheckpointEvery { get; init; } = 200;

    /// <summary>Stop training after this many consecutive non-finite losses.</summary>
    public int MaxNonFiniteSteps { get; init; } = 5;

    /// <summary>Stop (and checkpoint) after this much wall time in this run; null for no limit.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Seeds batches, binarisation and the posterior noise; a run is a function of it.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        AtLeast(BatchSize, 1, nameof(BatchSize));
        AtLeast(Steps, 1, nameof(Steps));
        Positive(LearningRate, nameof(LearningRate));
        AtLeast(Beta, 0, nameof(Beta));
        AtLeast(ValidateEvery, 0, nameof(ValidateEvery));
        AtLeast(ValidationPoints, 1, nameof(ValidationPoints));
        AtLeast(ReportEvery, 1, nameof(ReportEvery));
        AtLeast(CheckpointEvery, 0, nameof(CheckpointEvery));
        AtLeast(MaxNonFiniteSteps, 1, nameof(MaxNonFiniteSteps));
    }
}
