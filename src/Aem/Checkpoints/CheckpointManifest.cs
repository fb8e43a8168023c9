using Aem.Data;
using Aem.Model;
using Aem.Training;

namespace Aem.Checkpoints;

/// <summary>
/// <c>manifest.json</c> of a checkpoint directory: everything besides tensors that is needed to use
/// the model (architecture, data standardisation) or to resume training exactly (options, step,
/// history; random draws are a function of the seed and the step), plus SHA-256 sums of the files.
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>The current on-disk format; older or newer ones are refused with a clear message.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required AemOptions Model { get; init; }

    public TrainerOptions? Training { get; init; }

    public TrainingState? State { get; init; }

    /// <summary>The transform from data units to the model's units (identity if none was used).</summary>
    public Standardizer? Standardizer { get; init; }

    /// <summary>Free text: which task or file the model was trained on.</summary>
    public string? Data { get; init; }

    /// <summary>Dtype the weights were saved in ("float32" or "float64").</summary>
    public string DType { get; init; } = "float32";

    public DateTimeOffset SavedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>File name → lowercase hex SHA-256 of every other file in the directory.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
}
