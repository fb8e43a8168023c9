using Aem.Training;

namespace Aem.Runs;

/// <summary>
/// Writes an AEM training's checkpoints into a run folder (<see cref="RunLayout"/>): each one carries the
/// whole <see cref="RunFile"/>, made from <paramref name="template"/> with the trainer's options and state
/// of the moment.
/// </summary>
/// <param name="folder">The run folder.</param>
/// <param name="template">The run's record without the training options and state.</param>
public sealed class RunCheckpoints(string folder, RunFile template) : ICheckpointSink<AemStep, ValidationScore>
{
    /// <summary>The run folder.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The record every checkpoint starts from.</summary>
    public RunFile Template { get; } = template;

    /// <inheritdoc/>
    public void SaveBest(Trainer<AemStep, ValidationScore> trainer) => Save(RunLayout.BestOf(Folder), trainer, withOptimizer: false);

    /// <inheritdoc/>
    public void SaveLast(Trainer<AemStep, ValidationScore> trainer) => Save(RunLayout.LastOf(Folder), trainer, withOptimizer: true);

    private void Save(string directory, Trainer<AemStep, ValidationScore> trainer, bool withOptimizer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var objective = trainer.Objective is AemObjective aem ? aem.Options : Template.Objective;
        CheckpointStore.Save(directory, trainer.Model, withOptimizer ? trainer.Optimizer : null, (files, dtype) => Template with
        {
            Training = trainer.Options,
            Objective = objective,
            State = trainer.State,
            DType = dtype,
            SavedAt = DateTimeOffset.UtcNow,
            Files = files,
        });
    }
}
