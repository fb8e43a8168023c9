using Aem.Model;

namespace Aem.Evaluation;

/// <summary>Settings of <see cref="TestEvaluation"/>; defaults are the paper's (§4.3).</summary>
public sealed record TestEvaluationOptions
{
    /// <summary>Importance samples per conditional (the paper: 20,000; never compare scores across S).</summary>
    public int Samples { get; init; } = AemKde.PaperSamples;

    /// <summary>Score a seeded random subset of at most this many test points (null: all).</summary>
    public long? MaxPoints { get; init; }

    /// <summary>Seeds the subset and the proposal samples.</summary>
    public long Seed { get; init; }

    /// <summary>Also fit and score AEM-KDE (h and λ chosen on the validation split).</summary>
    public bool Kde { get; init; }

    /// <summary>Validation points for the (h, λ) search (a seeded subset; null: all).</summary>
    public long? KdeValidationPoints { get; init; } = 1000;

    /// <summary>Proposal samples per conditional in the (h, λ) search (null: <see cref="Samples"/>).</summary>
    public int? KdeSelectionSamples { get; init; }

    /// <summary>Candidate kernel bandwidths h for AEM-KDE, in the model's (standardised) units, searched on validation points.</summary>
    public IReadOnlyList<double> Bandwidths { get; init; } = AemKde.DefaultBandwidths;

    /// <summary>Candidate weights λ of the proposal in AEM-KDE, <c>λ q_d + (1 − λ) KDE_d</c> (in [0, 1]), searched on validation points.</summary>
    public IReadOnlyList<double> ProposalWeights { get; init; } = AemKde.DefaultProposalWeights;

    /// <summary>
    /// Added to every point's score: the log |det| of the data's standardisation, to report scores in the
    /// data's own units (0: the model's units).
    /// </summary>
    public double LogAbsDetJacobian { get; init; }

    /// <summary>A Gaussian baseline (model units) to score the same points with, reported beside the AEM; null: none.</summary>
    public GaussianBaseline? Baseline { get; init; }

    /// <summary>Energy-network rows per call (bounds memory).</summary>
    public long MaxRows { get; init; } = EnergyRows.Default;

    /// <summary>
    /// How each conditional's S samples are placed (<see cref="NormalizerEstimator"/>; default: independent draws,
    /// the paper's). AEM-KDE scores with independent draws only.
    /// </summary>
    public NormalizerEstimator Normalizer { get; init; } = NormalizerEstimator.Iid;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1 (got {Samples}).", nameof(Samples));
        if (MaxPoints is < 1) throw new ArgumentException($"MaxPoints must be at least 1 (got {MaxPoints}).", nameof(MaxPoints));
        if (KdeValidationPoints is < 1) throw new ArgumentException($"KdeValidationPoints must be at least 1 (got {KdeValidationPoints}).", nameof(KdeValidationPoints));
        if (KdeSelectionSamples is < 1) throw new ArgumentException($"KdeSelectionSamples must be at least 1 (got {KdeSelectionSamples}).", nameof(KdeSelectionSamples));
        if (!double.IsFinite(LogAbsDetJacobian)) throw new ArgumentException($"LogAbsDetJacobian must be finite (got {LogAbsDetJacobian}).", nameof(LogAbsDetJacobian));
        if (MaxRows < 1) throw new ArgumentException($"MaxRows must be positive (got {MaxRows}).", nameof(MaxRows));
        if (!Enum.IsDefined(Normalizer)) throw new ArgumentException($"Unknown normaliser estimator {Normalizer}.", nameof(Normalizer));
        if (Kde && Normalizer != NormalizerEstimator.Iid)
        {
            throw new ArgumentException($"AEM-KDE scores with independent samples only; it cannot go with the {Normalizer.ToString().ToLowerInvariant()} normaliser.", nameof(Normalizer));
        }
    }
}
