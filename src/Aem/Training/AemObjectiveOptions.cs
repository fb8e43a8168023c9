using Aem.Model;
using static Aem.Training.OptionChecks;

namespace Aem.Training;

/// <summary>
/// The AEM objective's own settings (paper §3.2; SPEC §1.4–1.5): importance samples per conditional in
/// training and validation, and how a batch is split for memory.
/// </summary>
public sealed record AemObjectiveOptions
{
    /// <summary>S during training (the paper: 20).</summary>
    public int TrainingSamples { get; init; } = 20;

    /// <summary>
    /// How the S training samples of each conditional are placed: <see cref="NormalizerEstimator.Iid"/> (the paper's)
    /// or <see cref="NormalizerEstimator.Stratified"/> (one uniform shift per conditional and step, samples at the
    /// proposal's quantiles (s + U)/S). Validation always uses independent samples, so runs that differ only in
    /// this setting are scored alike. Measured in docs/normalizers.md.
    /// </summary>
    public NormalizerEstimator TrainingNormalizer { get; init; } = NormalizerEstimator.Iid;

    /// <summary>S for validation estimates.</summary>
    public int ValidationSamples { get; init; } = 100;

    /// <summary>
    /// Split each batch into as few near-equal micro-batches of whole examples as keep each at about this
    /// many energy-network rows (examples × D × (1 + S)) at most, and accumulate their gradients: the same
    /// step, less memory, and faster where the activations then fit in cache. Micro-batch i of step t draws
    /// its importance samples from its own stream (seed, t, i), so the split is part of the run's settings. Null runs the batch in one piece. The default,
    /// 4,096 rows, measured here (aem bench): POWER steps 1.71 → 1.57 s on 1 thread and 1.18 → 1.02 s
    /// on 2, peak memory 1.27 GB → 0.41 GB; 2-D steps 0.22 → 0.18 s (1 thread).
    /// </summary>
    public long? MicroBatchRows { get; init; } = 4096;

    /// <summary>
    /// Added to the log-likelihoods the objective reports (training means and validation scores), so that
    /// they are in the data's units: the log |det| of the data's standardisation (0: the model's units). The
    /// loss is not affected.
    /// </summary>
    public double LogAbsDetJacobian { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        AtLeast(TrainingSamples, 1, nameof(TrainingSamples));
        AtLeast(ValidationSamples, 1, nameof(ValidationSamples));
        if (TrainingNormalizer is not (NormalizerEstimator.Iid or NormalizerEstimator.Stratified))
        {
            throw new ArgumentException($"TrainingNormalizer must be Iid or Stratified (got {TrainingNormalizer}): training needs an unbiased normaliser.", nameof(TrainingNormalizer));
        }
        if (MicroBatchRows is { } rows) AtLeast(rows, 1, nameof(MicroBatchRows));
        if (!double.IsFinite(LogAbsDetJacobian)) throw new ArgumentException($"LogAbsDetJacobian must be finite (got {LogAbsDetJacobian}).", nameof(LogAbsDetJacobian));
    }
}
