using Aem.Runs;
using Aem.Training;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// VAE checkpoints in the one checkpoint store (<see cref="RunLayout"/>): a run folder's <c>best/</c> and
/// <c>last/</c>, each with <c>model.bin</c>, <c>run.json</c> (<see cref="VaeRunFile"/>) and, for
/// <c>last/</c>, <c>optimizer.bin</c>.
/// </summary>
public sealed class VaeCheckpoint(string folder, VaeRunFile template) : ICheckpointSink<VaeStep, VaeValidationScore>
{
    /// <summary>The run folder.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <inheritdoc/>
    public void SaveBest(Trainer<VaeStep, VaeValidationScore> trainer) => Save(RunLayout.BestOf(Folder), trainer, withOptimizer: false);

    /// <inheritdoc/>
    public void SaveLast(Trainer<VaeStep, VaeValidationScore> trainer) => Save(RunLayout.LastOf(Folder), trainer, withOptimizer: true);

    /// <summary>Reads and verifies the record of the VAE checkpoint in <paramref name="directory"/>.</summary>
    public static VaeRunFile ReadRecord(string directory) => CheckpointStore.ReadRecord<VaeRunFile>(directory, VaeRunFile.VaeKind);

    /// <summary>Loads a VAE (in eval mode) and its record.</summary>
    internal static (ConvVae Model, VaeRunFile Record) Load(string directory, Device? device = null) =>
        CheckpointStore.Load<ConvVae, VaeRunFile>(directory, VaeRunFile.VaeKind, r => new ConvVae(r.Model), device);

    /// <summary>Restores optimiser moments saved with a resumable checkpoint.</summary>
    internal static void LoadOptimizer(string directory, optim.Optimizer optimizer) => CheckpointStore.LoadOptimizer(directory, optimizer);

    /// <summary>The SHA-256 of the checkpoint's weights: identifies the VAE that latents were drawn from.</summary>
    internal static string ModelHash(string directory) => ReadRecord(directory).Files[RunLayout.ModelFile];

    private void Save(string directory, Trainer<VaeStep, VaeValidationScore> trainer, bool withOptimizer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        CheckpointStore.Save(directory, trainer.Model, withOptimizer ? trainer.Optimizer : null, (files, dtype) => template with
        {
            Training = trainer.Options,
            State = trainer.State,
            DType = dtype,
            SavedAt = DateTimeOffset.UtcNow,
            Files = files,
        });
    }
}
