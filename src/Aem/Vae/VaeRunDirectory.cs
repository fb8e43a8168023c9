namespace Aem.Vae;

/// <summary>
/// A VAE pre-training run's folder: <c>last/</c> (resumable: weights, Adam moments, step) and <c>best/</c>
/// (the weights with the best validation ELBO so far).
/// </summary>
public sealed class VaeRunDirectory
{
    public VaeRunDirectory(string path, string? data = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        Data = data;
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string? Data { get; }

    public string LastDirectory => System.IO.Path.Combine(Path, "last");

    public string BestDirectory => System.IO.Path.Combine(Path, "best");

    /// <summary>True if a resumable checkpoint is there.</summary>
    public bool HasLast => File.Exists(System.IO.Path.Combine(LastDirectory, Checkpoints.Checkpoint.ManifestFile));

    public void SaveLast(VaeTrainer trainer) => Save(LastDirectory, trainer, withOptimizer: true);

    public void SaveBest(VaeTrainer trainer) => Save(BestDirectory, trainer, withOptimizer: false);

    private void Save(string directory, VaeTrainer trainer, bool withOptimizer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var manifest = new VaeManifest { Model = trainer.Model.Options, Training = trainer.Options, State = trainer.State, Data = Data };
        VaeCheckpoint.Save(directory, trainer.Model, withOptimizer ? trainer.Optimizer : null, manifest);
    }
}
