using Aem.Data;
using Aem.Model;
using Aem.Training;

namespace Aem.Runs;

/// <summary>
/// The record of an AEM run, <c>run.json</c> in each of its checkpoints: what data it learned (and how to
/// load it again), the architecture, the training and objective options, the data's standardisation,
/// the training state with its validation history, and how the run came about. This record alone is
/// enough to evaluate, score, sample, plot and resume the run; <see cref="SavedRun.Open"/> reads it.
/// </summary>
public sealed record RunFile : ICheckpointRecord
{
    /// <summary>The on-disk format this build writes and reads; other formats are refused with a clear message.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>The <see cref="Kind"/> of an AEM run.</summary>
    public const string AemKind = "aem";

    /// <summary>The record's format.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Which kind of model the checkpoint holds ("aem").</summary>
    public string Kind { get; init; } = AemKind;

    /// <summary>How to load the run's data again (absolute paths), or null when it cannot be reloaded (e.g. a VAE's latents).</summary>
    public DataRequest? Data { get; init; }

    /// <summary>The SHA-256 of each file the data came from (absolute path → hex), to notice a file changed since; null for data without files.</summary>
    public IReadOnlyDictionary<string, string>? DataFiles { get; init; }

    /// <summary>What the data was, in words: "checkerboard", "file:/abs/path.csv", "aggregate posterior of …".</summary>
    public string DataName { get; init; } = "data";

    /// <summary>The data's column names (from a file's header), or null; samples and files scored later keep them.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>The preset the settings started from, if any.</summary>
    public string? PresetName { get; init; }

    /// <summary>The architecture.</summary>
    public required AemOptions Model { get; init; }

    /// <summary>The schedule as it was when the checkpoint was saved.</summary>
    public required TrainerOptions Training { get; init; }

    /// <summary>Importance samples in training and validation.</summary>
    public AemObjectiveOptions Objective { get; init; } = new();

    /// <summary>The transform from data units to the model's units; null if the data was used as it is.</summary>
    public Standardizer? Standardizer { get; init; }

    /// <summary>
    /// A conditional model's context: the transform from its units to the model's (fitted with the data's on
    /// the training split); null when the context is used as it is, or there is none.
    /// </summary>
    public Standardizer? ContextStandardizer { get; init; }

    /// <summary>A conditional model's context column names, or null; sample files label their context columns with them.</summary>
    public IReadOnlyList<string>? ContextColumnNames { get; init; }

    /// <summary>Steps done, best score and validation history when the checkpoint was saved.</summary>
    public TrainingState<ValidationScore> State { get; init; } = new();

    /// <summary>The full-covariance Gaussian fitted to the training split (model units): the baseline every score is reported beside.</summary>
    public Evaluation.GaussianBaseline? Baseline { get; init; }

    /// <summary>How the run came about.</summary>
    public RunProvenance? Provenance { get; init; }

    /// <summary>Dtype of the saved weights ("float32" or "float64").</summary>
    public string DType { get; init; } = "float32";

    /// <summary>When the checkpoint was saved.</summary>
    public DateTimeOffset SavedAt { get; init; }

    /// <summary>File name → lowercase hex SHA-256 of every other file in the checkpoint.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The transform of whole rows <c>[x | c]</c> into the model's units: <see cref="Standardizer"/> on x and
    /// <see cref="ContextStandardizer"/> on c (the identity where either is null); null when neither is set.
    /// </summary>
    internal Standardizer? RowStandardizer()
    {
        int d = Model.Features, c = Model.ConditioningFeatures;
        if (c == 0 || ContextStandardizer is null) return Standardizer is null || c == 0 ? Standardizer : Join(Standardizer, Aem.Data.Standardizer.Identity(c));
        return Join(Standardizer ?? Aem.Data.Standardizer.Identity(d), ContextStandardizer);
    }

    private static Standardizer Join(Standardizer x, Standardizer context) =>
        new([.. x.Mean, .. context.Mean], [.. x.Scale, .. context.Scale]);
}
