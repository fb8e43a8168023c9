namespace Aem.Runs;

/// <summary>
/// The one place that knows how a run folder is laid out:
/// <code>
/// RUN/best/   the weights with the best validation score (model.bin, run.json)
/// RUN/last/   the latest state, resumable (model.bin, optimizer.bin, run.json)
/// RUN/.lock   held by the process training in the folder
/// </code>
/// Each checkpoint's <c>run.json</c> is the whole record of the run (data, options, standardiser,
/// history), so either checkpoint folder can be used on its own.
/// </summary>
public static class RunLayout
{
    /// <summary>The checkpoint with the best validation score.</summary>
    public const string Best = "best";

    /// <summary>The latest, resumable checkpoint.</summary>
    public const string Last = "last";

    /// <summary>A checkpoint's record of the run.</summary>
    public const string RecordFile = "run.json";

    /// <summary>A checkpoint's weights.</summary>
    public const string ModelFile = "model.bin";

    /// <summary>A resumable checkpoint's optimiser moments.</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>The record of checkpoint format 1, recognised only to refuse it clearly.</summary>
    internal const string FormatOneManifest = "manifest.json";

    /// <summary>What a run leaves in its folder besides the lock: removed when a run is started over there.</summary>
    internal static IReadOnlyList<string> Outputs { get; } =
        [Last, Best, $".{Last}.old", $".{Best}.old", "config.json", "evaluation.json", "evaluation.md", "figures", "report.json", "report.md"];

    /// <summary>The best checkpoint of the run in <paramref name="run"/>.</summary>
    public static string BestOf(string run) => Path.Combine(run, Best);

    /// <summary>The latest checkpoint of the run in <paramref name="run"/>.</summary>
    public static string LastOf(string run) => Path.Combine(run, Last);

    /// <summary>True if <paramref name="path"/> holds a run's checkpoints (or an earlier version's run).</summary>
    public static bool IsRun(string path) =>
        CheckpointStore.Exists(BestOf(path)) || CheckpointStore.Exists(LastOf(path)) || File.Exists(Path.Combine(path, "config.json"));

    /// <summary>
    /// The checkpoint <paramref name="path"/> names: a checkpoint folder itself, or in a run folder
    /// <c>best/</c> (<c>last/</c> if <paramref name="preferLast"/>, or while there is no best yet), and the
    /// run folder around it, if any.
    /// </summary>
    /// <exception cref="CheckpointException">No checkpoint there.</exception>
    internal static (string Checkpoint, string? Run) Locate(string path, bool preferLast = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        // A checkpoint being replaced exists only as its backup for a moment: test that before the folder.
        if (!CheckpointStore.Exists(full) && !Directory.Exists(full)) throw new CheckpointException($"{path}: no such folder.");
        if (CheckpointStore.Exists(full))
        {
            string parent = Path.GetDirectoryName(full)!;
            string name = Path.GetFileName(full);
            return (full, name is Best or Last ? parent : null);
        }
        string best = BestOf(full), last = LastOf(full);
        string? chosen = preferLast
            ? (CheckpointStore.Exists(last) ? last : CheckpointStore.Exists(best) ? best : null)
            : (CheckpointStore.Exists(best) ? best : CheckpointStore.Exists(last) ? last : null);
        return chosen is null
            ? throw new CheckpointException($"{path}: no checkpoint here (expected {RecordFile}, or a run folder with {Best}/ or {Last}/).")
            : (chosen, full);
    }

    /// <summary>Removes what an earlier run left in <paramref name="run"/> (checkpoints and results), nothing else.</summary>
    internal static void Clear(string run)
    {
        foreach (string name in Outputs)
        {
            string full = Path.Combine(run, name);
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            else if (File.Exists(full)) File.Delete(full);
        }
    }
}
