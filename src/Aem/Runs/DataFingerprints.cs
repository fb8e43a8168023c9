using Aem.Data;

namespace Aem.Runs;

/// <summary>
/// The SHA-256 of every file a run's data comes from, recorded with the run, so that a file changed since
/// training is noticed instead of silently giving other splits than the run's.
/// </summary>
public static class DataFingerprints
{
    /// <summary>The files of <paramref name="data"/> (absolute path → lowercase hex SHA-256); null when it has none.</summary>
    public static IReadOnlyDictionary<string, string>? Of(DataRequest data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var files = new[] { data.File, data.ValidationFile, data.TestFile, data.ContextFile, data.Image }.OfType<string>().Select(Path.GetFullPath).Distinct().ToArray();
        return files.Length == 0 ? null : files.ToDictionary(f => f, CheckpointStore.Sha256, StringComparer.Ordinal);
    }

    /// <summary>Throws <see cref="DataFormatException"/> if a file of <paramref name="data"/> that <paramref name="run"/> recorded has changed.</summary>
    internal static void Verify(RunFile run, DataRequest data)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(data);
        if (run.DataFiles is not { } recorded) return;
        foreach (var file in new[] { data.File, data.ValidationFile, data.TestFile, data.ContextFile, data.Image }.OfType<string>().Select(Path.GetFullPath).Distinct())
        {
            if (!recorded.TryGetValue(file, out var expected) || !File.Exists(file)) continue;
            if (!string.Equals(CheckpointStore.Sha256(file), expected, StringComparison.Ordinal))
            {
                throw new DataFormatException(file,
                    "has changed since the run was trained on it (its SHA-256 differs), so its splits would not be the run's; restore the file, or train again");
            }
        }
    }
}
