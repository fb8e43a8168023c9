using Aem.Data;
using Aem.Training;

namespace Aem.Checkpoints;

/// <summary>
/// A training run's output folder: <c>last/</c> (resumable: weights, Adam moments, step) and
/// <c>best/</c> (the weights with the best validation score so far).
/// </summary>
public sealed class RunDirectory
{
    public RunDirectory(string path, Standardizer? standardizer = null, string? data = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        Standardizer = standardizer;
        Data = data;
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public Standardizer? Standardizer { get; }

    public string? Data { get; }

    public string LastDirectory => System.IO.Path.Combine(Path, "last");

    public string BestDirectory => System.IO.Path.Combine(Path, "best");

    public void SaveLast(Trainer trainer) => Save(LastDirectory, trainer, withOptimizer: true);

    public void SaveBest(Trainer trainer) => Save(BestDirectory, trainer, withOptimizer: false);

    private void Save(string directory, Trainer trainer, bool withOptimizer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var manifest = new CheckpointManifest
        {
            Model = trainer.Model.Options,
            Training = trainer.Options,
            State = trainer.State,
            Standardizer = Standardizer,
            Data = Data,
        };
        Checkpoint.Save(directory, trainer.Model, withOptimizer ? trainer.Optimizer : null, manifest);
    }
}
