using Aem.Checkpoints;

namespace Aem.Cli.Running;

/// <summary>
/// What <c>--checkpoint DIR</c> points at: a checkpoint folder (holding manifest.json) or a run folder
/// (holding best/ and last/, and config.json).
/// </summary>
/// <param name="Checkpoint">The checkpoint folder to load.</param>
/// <param name="Run">The run folder around it, if any.</param>
/// <param name="Config">The run's configuration, if found.</param>
public sealed record CheckpointLocation(string Checkpoint, string? Run, RunConfig? Config)
{
    /// <summary>
    /// Resolves <paramref name="path"/>. In a run folder, <c>best/</c> is used unless
    /// <paramref name="preferLast"/> (or there is no best yet).
    /// </summary>
    public static CheckpointLocation Resolve(string path, bool preferLast = false)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new CheckpointException($"{path}: no such folder.");
        if (HasCheckpoint(full))
        {
            string parent = Path.GetDirectoryName(full)!;
            bool inRun = File.Exists(Path.Combine(parent, RunConfig.FileName));
            return new CheckpointLocation(full, inRun ? parent : null, inRun ? RunConfig.TryLoad(parent) : null);
        }
        string best = Path.Combine(full, "best"), last = Path.Combine(full, "last");
        string? chosen = preferLast
            ? (HasCheckpoint(last) ? last : HasCheckpoint(best) ? best : null)
            : (HasCheckpoint(best) ? best : HasCheckpoint(last) ? last : null);
        if (chosen is null)
        {
            throw new CheckpointException($"{path}: no checkpoint here (expected {Checkpoints.Checkpoint.ManifestFile}, or a run folder with best/ or last/).");
        }
        return new CheckpointLocation(chosen, full, RunConfig.TryLoad(full));
    }

    /// <summary>The folder results go to by default: the run folder, else the checkpoint's own.</summary>
    public string DefaultOutput => Run ?? Checkpoint;

    private static bool HasCheckpoint(string directory)
    {
        try
        {
            Checkpoints.Checkpoint.Resolve(directory);
            return true;
        }
        catch (CheckpointException)
        {
            return false;
        }
    }
}
