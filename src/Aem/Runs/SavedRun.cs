using Aem.Data;
using Aem.Model;
using Aem.Runtime;
using Aem.Training;
using static TorchSharp.torch;

namespace Aem.Runs;

/// <summary>
/// A trained AEM on disk, opened for use: a run folder (its <c>best/</c> checkpoint unless the latest is
/// asked for) or a checkpoint folder on its own. <see cref="Open"/> reads the run's record once; the
/// model, the data in the model's units and the units scores are reported in all follow from it.
/// </summary>
/// <example>
/// <code>
/// var run = SavedRun.Open("runs/spirals");
/// using var model = run.LoadModel();
/// using var data = run.LoadData();            // the run's own splits, in the model's units
/// </code>
/// </example>
public sealed class SavedRun
{
    private SavedRun(string checkpoint, string? folder, RunFile file)
    {
        Checkpoint = checkpoint;
        Folder = folder;
        File = file;
    }

    /// <summary>The checkpoint folder in use.</summary>
    public string Checkpoint { get; }

    /// <summary>The run folder around the checkpoint, if it is in one.</summary>
    public string? Folder { get; }

    /// <summary>The run's record as saved with <see cref="Checkpoint"/>.</summary>
    public RunFile File { get; }

    /// <summary>SHA-256 of the checkpoint's weights (<c>model.bin</c>) as its record lists it: the identity of the model scored.</summary>
    public string ModelSha256 =>
        File.Files.TryGetValue(RunLayout.ModelFile, out var sha) ? sha : CheckpointStore.Sha256(Path.Combine(Checkpoint, RunLayout.ModelFile));

    /// <summary>Where results about the run go by default: the run folder, else the checkpoint's own.</summary>
    public string ResultsFolder => Folder ?? Checkpoint;

    /// <summary>Opens the run or checkpoint at <paramref name="path"/>.</summary>
    /// <param name="path">A checkpoint folder (with <c>run.json</c>) or a run folder (with <c>best/</c> or <c>last/</c>).</param>
    /// <param name="preferLast">In a run folder, open <c>last/</c> (the latest, resumable checkpoint) rather than <c>best/</c>.</param>
    /// <exception cref="CheckpointException">No readable checkpoint there, or one of another format or kind.</exception>
    public static SavedRun Open(string path, bool preferLast = false)
    {
        var (checkpoint, folder) = RunLayout.Locate(path, preferLast);
        return new SavedRun(checkpoint, folder, CheckpointStore.ReadRecord<RunFile>(checkpoint, RunFile.AemKind));
    }

    /// <summary>
    /// The model with the checkpoint's weights, in eval mode, on <paramref name="device"/> (default: the CPU).
    /// The weights are checked against the record read with them; if a trainer has replaced the checkpoint
    /// since <see cref="Open"/>, the newer one is loaded whole.
    /// </summary>
    public AutoregressiveEnergyMachine LoadModel(Device? device = null) =>
        CheckpointStore.Load<AutoregressiveEnergyMachine, RunFile>(Checkpoint, RunFile.AemKind, r => new AutoregressiveEnergyMachine(r.Model), device).Model;

    /// <summary>Restores the optimiser moments of a resumable checkpoint into <paramref name="optimizer"/>.</summary>
    internal void LoadOptimizer(optim.Optimizer optimizer) => CheckpointStore.LoadOptimizer(Checkpoint, optimizer);

    /// <summary>The fullest training history: the run's latest checkpoint's, if it is further on than this one.</summary>
    public TrainingState<ValidationScore> LatestState()
    {
        if (Folder is null || Checkpoint == RunLayout.LastOf(Folder)) return File.State;
        try
        {
            var last = CheckpointStore.ReadRecord<RunFile>(RunLayout.LastOf(Folder), RunFile.AemKind);
            return last.State.Step >= File.State.Step ? last.State : File.State;
        }
        catch (CheckpointException)
        {
            return File.State;
        }
    }

    /// <summary>
    /// The splits of <paramref name="data"/> (default: the run's own) in the model's units. A user's file is
    /// read raw and transformed with the run's standardiser, not one fitted again, so scores refer to the
    /// transform the model learned in (a conditional model's rows <c>[x | c]</c>: x and c each with its own).
    /// </summary>
    public DataSet LoadData(DataRequest? data = null)
    {
        var request = data ?? OwnData();
        DataFingerprints.Verify(File, request);
        DataSet loaded;
        if (request.File is not null && File.RowStandardizer() is { } rows)
        {
            using var raw = DataCatalog.Load(request with { Standardize = false });
            CheckColumns(raw, request);
            loaded = new DataSet(raw.Name, rows.Transform(raw.Train), rows.Transform(raw.Validation), rows.Transform(raw.Test), File.Standardizer)
            {
                ColumnNames = raw.ColumnNames,
                ContextFeatures = raw.ContextFeatures,
                ContextColumnNames = raw.ContextColumnNames,
                ContextStandardizer = File.ContextStandardizer,
            };
        }
        else
        {
            loaded = DataCatalog.Load(request.File is not null ? request with { Standardize = false } : request);
        }
        CheckColumns(loaded, request);
        return loaded;
    }

    /// <summary>The splits of <paramref name="data"/> (default: the run's own) in the data's own units, for figures.</summary>
    public DataSet LoadDataInDataUnits(DataRequest? data = null)
    {
        var request = data ?? OwnData();
        var loaded = DataCatalog.Load(request with { Standardize = false });
        CheckColumns(loaded, request);
        if (loaded.Standardizer is not { } standardizer) return loaded;
        using (loaded)
        {
            return new DataSet(loaded.Name, standardizer.Inverse(loaded.Train), standardizer.Inverse(loaded.Validation), standardizer.Inverse(loaded.Test), null)
            {
                ColumnNames = loaded.ColumnNames,
                ContextFeatures = loaded.ContextFeatures,
                ContextColumnNames = loaded.ContextColumnNames,
            };
        }
    }

    /// <summary>The units scores of <paramref name="data"/> (default: the run's own) are reported in.</summary>
    public ScoreUnits Units(DataRequest? data = null) => ScoreUnits.For(data ?? File.Data, File.Standardizer);

    private DataRequest OwnData() => File.Data ?? throw new ArgumentException(
        $"{Checkpoint}: the run's data ({File.DataName}) cannot be loaded again; name the data to use.");

    private void CheckColumns(DataSet data, DataRequest request)
    {
        int d = File.Model.Features, c = File.Model.ConditioningFeatures;
        if (data.Features == d && data.ContextFeatures == c) return;
        string problem = (data.ContextFeatures, c) switch
        {
            (0, > 0) => $"no context is given, but the checkpoint {Checkpoint} models p(x | c) with {Plural.Of(c, "context column")}; name the context columns or a context file",
            (> 0, 0) => $"a context of {Plural.Of(data.ContextFeatures, "column")} is given, but the checkpoint {Checkpoint} models p(x) without one",
            _ when data.ContextFeatures != c => $"a context of {Plural.Of(data.ContextFeatures, "column")} is given, but the checkpoint {Checkpoint} is conditioned on {c}",
            _ => $"{Plural.Of(data.Features, c > 0 ? "data column" : "column")}{(c > 0 ? " besides the context" : "")}, but the checkpoint {Checkpoint} models {d} dimensions",
        };
        data.Dispose();
        if (request.File is { } file) throw new DataFormatException(file, problem);
        throw new ArgumentException($"{request.Name}: {problem}.");
    }
}
