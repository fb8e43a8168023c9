using Aem.Runs;
using Aem.Training;

namespace Aem.Vae;

/// <summary>
/// The record of a VAE pre-training run, <c>run.json</c> in each of its checkpoints (the same store and
/// layout as an AEM run's <see cref="RunFile"/>): the architecture, the schedule, β, the training state
/// with its validation history, and the data.
/// </summary>
public sealed record VaeRunFile : ICheckpointRecord
{
    /// <summary>The <see cref="Kind"/> of a VAE run, so that an AEM checkpoint given by mistake is refused clearly.</summary>
    public const string VaeKind = "vae";

    /// <summary>The record's format (<see cref="RunFile.CurrentFormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = RunFile.CurrentFormatVersion;

    /// <summary>Which kind of model the checkpoint holds: always <see cref="VaeKind"/> ("vae"); another kind is refused on reading.</summary>
    public string Kind { get; init; } = VaeKind;

    /// <summary>What the data was, in words.</summary>
    public string DataName { get; init; } = "MNIST";

    /// <summary>The architecture.</summary>
    public required VaeOptions Model { get; init; }

    /// <summary>The schedule as it was when the checkpoint was saved.</summary>
    public required TrainerOptions Training { get; init; }

    /// <summary>The pre-training objective's settings: β, the weight of the KL term.</summary>
    public VaeObjectiveOptions Objective { get; init; } = new();

    /// <summary>Steps done, best ELBO and validation history when the checkpoint was saved.</summary>
    public TrainingState<VaeValidationScore> State { get; init; } = new();

    /// <summary>How the run came about.</summary>
    public RunProvenance? Provenance { get; init; }

    /// <summary>Dtype of the saved weights.</summary>
    public string DType { get; init; } = "float32";

    /// <summary>When the checkpoint was saved.</summary>
    public DateTimeOffset SavedAt { get; init; }

    /// <summary>File name → lowercase hex SHA-256 of every other file in the checkpoint.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
}
