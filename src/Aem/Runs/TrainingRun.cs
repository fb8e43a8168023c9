using Aem.Data;
using Aem.Model;
using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Runs;

/// <summary>
/// A run folder being trained: it holds the folder's lock, the model, its objective and trainer, and
/// writes the checkpoints (<see cref="RunLayout"/>). <see cref="Start"/> begins a run, <see cref="Resume"/>
/// continues one exactly where its <c>last/</c> checkpoint left it; <see cref="Train"/> runs to the step
/// budget or, with a wall-time budget, re-plans the steps from the run's own speed on the way.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    private readonly RunLock runLock;

    private TrainingRun(RunLock runLock, AutoregressiveEnergyMachine model, RunFile record, TrainingState<ValidationScore>? state, SavedRun? resumedFrom = null)
    {
        this.runLock = runLock;
        ResumedFrom = resumedFrom;
        Model = model;
        // The trainer owns the objective and disposes it with itself (Trainer.Dispose).
#pragma warning disable CA2000
        Trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(model, record.Objective), record.Training, state);
#pragma warning restore CA2000
        Checkpoints = new RunCheckpoints(runLock.Path, record);
    }

    /// <summary>The run folder.</summary>
    public string Folder => Checkpoints.Folder;

    /// <summary>The model being trained.</summary>
    public AutoregressiveEnergyMachine Model { get; }

    /// <summary>The trainer (options, state, optimiser).</summary>
    public Trainer<AemStep, ValidationScore> Trainer { get; }

    /// <summary>The checkpoint a resumed run continues from (its data loads with <see cref="SavedRun.LoadData"/>); null for a new run.</summary>
    public SavedRun? ResumedFrom { get; }

    /// <summary>Where the checkpoints go, and the record they carry.</summary>
    public RunCheckpoints Checkpoints { get; }

    /// <summary>
    /// Starts a run of <paramref name="record"/> in <paramref name="folder"/> (created if needed) with a new
    /// model drawn from the record's seed, on <paramref name="device"/>. With <paramref name="replace"/>, an
    /// earlier run's checkpoints and results in the folder are removed first; without it, a folder that
    /// already holds a run is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The record asks for a warm-up with a uniform proposal (nothing to warm up).</exception>
    /// <exception cref="RunFolderInUseException">Another process is training in the folder.</exception>
    public static TrainingRun Start(string folder, RunFile record, Device? device = null, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Training.Validate();
        if (record.Model.Proposal == ProposalKind.Uniform && record.Training.WarmupSteps > 0)
        {
            throw new ArgumentException($"A warm-up ({record.Training.WarmupSteps} steps) trains only the proposal, and a uniform proposal has no parameters; set WarmupSteps to 0.", nameof(record));
        }
        var runLock = RunLock.Acquire(folder);
        try
        {
            if (RunLayout.IsRun(runLock.Path))
            {
                if (!replace) throw new ArgumentException($"{folder}: already holds a run; resume it, or replace it.");
                RunLayout.Clear(runLock.Path);
            }
            manual_seed(record.Training.Seed);
            var model = new AutoregressiveEnergyMachine(record.Model);
            if (device is not null) model.to(device);
            return new TrainingRun(runLock, model, record, state: null);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Resumes the run in <paramref name="folder"/> from its <c>last/</c> checkpoint with its saved options,
    /// except the step budget (<paramref name="steps"/>, which lengthens the cosine schedule), this
    /// session's time limit, and whatever <paramref name="adjust"/> changes that does not alter the run
    /// (e.g. how often progress is reported).
    /// </summary>
    /// <exception cref="RunFolderInUseException">Another process is training in the folder.</exception>
    /// <exception cref="CheckpointException">No resumable checkpoint there.</exception>
    public static TrainingRun Resume(
        string folder, int? steps = null, TimeSpan? maxDuration = null, Device? device = null, Func<TrainerOptions, TrainerOptions>? adjust = null)
    {
        var runLock = RunLock.Acquire(folder);
        try
        {
            var last = SavedRun.Open(RunLayout.LastOf(runLock.Path));
            var training = last.File.Training with { Steps = steps ?? last.File.Training.Steps, MaxDuration = maxDuration };
            var record = last.File with { Training = adjust is null ? training : adjust(training) };
            if (last.File.State.Step >= record.Training.Steps)
            {
                throw new ArgumentException(
                    $"{folder}: the run has already done {last.File.State.Step:N0} of {record.Training.Steps:N0} steps; give a larger step budget to train further.");
            }
            var model = last.LoadModel(device);
            var run = new TrainingRun(runLock, model, record, last.File.State, last);
            try
            {
                last.LoadOptimizer(run.Trainer.Optimizer);
                return run;
            }
            catch
            {
                run.Dispose();
                throw;
            }
        }
        catch (Exception) when (DisposeOnFailure(runLock))
        {
            throw;
        }
    }

    /// <summary>
    /// Refuses data a model of <paramref name="model"/> cannot be trained on: training or validation values
    /// outside a uniform proposal's support, where the model's density is zero (see
    /// <see cref="ProposalKind.Uniform"/>). Call it before <see cref="Start"/> so that nothing is written for such data.
    /// </summary>
    /// <exception cref="DataFormatException">Naming the data, the first column outside and how many rows are.</exception>
    public static void CheckData(DataSet data, AemOptions model)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (split, x) in new[] { ("training", data.Train), ("validation", data.Validation) })
        {
            if (ProposalSupport.FindOutside(model, x) is not { } outside) continue;
            string column = data.ColumnNames is { } names && outside.Column < names.Count ? $" ('{names[outside.Column]}')" : "";
            string value = data.Standardizer is { } standardizer
                ? $"{Raw(standardizer, outside):G6} ({outside.Value:0.###} after standardising)"
                : $"{outside.Value:G6}";
            throw new DataFormatException(data.Name, row: null, column: outside.Column + 1,
                $"{outside.Rows:N0} {(outside.Rows == 1 ? "row" : "rows")} of the {split} split{column} lie outside the uniform proposal's support " +
                $"[{outside.Low:0.###}, {outside.High:0.###}], where the model's density is zero (first: {value}); use a mixture-of-Gaussians proposal.");
        }
    }

    private static double Raw(Standardizer standardizer, SupportViolation outside) =>
        (outside.Value * standardizer.Scale[outside.Column]) + standardizer.Mean[outside.Column];

    /// <summary>
    /// Trains on <paramref name="data"/>'s training split, validating on its validation split, until the
    /// step budget, the time limit, early stopping or cancellation; with <paramref name="budget"/>, the step
    /// budget is re-planned after a fifth of that wall time from the run's own speed.
    /// </summary>
    public TrainingResult<ValidationScore> Train(
        DataSet data,
        IProgress<TrainingProgress<AemStep, ValidationScore>>? progress = null,
        TimeSpan? budget = null,
        IProgress<BudgetReplan>? replanned = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckData(data, Model.Options);
        return budget is { } limit
            ? TimeBudget.Run(Trainer, data.Train, data.Validation, limit, progress, Checkpoints, replanned, cancellationToken)
            : Trainer.Run(data.Train, data.Validation, progress, Checkpoints, cancellationToken);
    }

    private static bool DisposeOnFailure(RunLock disposable)
    {
        disposable.Dispose();
        return false;
    }

    /// <summary>Releases the trainer, the model and the folder's lock.</summary>
    public void Dispose()
    {
        Trainer.Dispose();
        Model.Dispose();
        runLock.Dispose();
    }
}
