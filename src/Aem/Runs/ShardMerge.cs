using System.Globalization;
using Aem.Data;
using Aem.Evaluation;

namespace Aem.Runs;

/// <summary>
/// Joins the shard files of one job (<c>aem merge</c>) into the result one process would have given: the same
/// per-point values, bit for bit, and so the same mean ± 2 SE. Before anything is joined, every file must be
/// a whole shard file (format, checksum), all must be of one job — one kind, one N, the same weights (SHA-256
/// of <c>model.bin</c>), the same data (SHA-256 of the points or the file), split, units and settings (S,
/// seed, subset, AEM-KDE…), the same AEM-KDE choice — and every index 0 … N−1 must be there exactly once.
/// Otherwise it throws <see cref="DataFormatException"/> naming the first offending shard file.
/// </summary>
public static class ShardMerge
{
    /// <summary>Reads, checks and joins the shard files at <paramref name="paths"/> (in any order).</summary>
    public static MergedShards Merge(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("No shard files given.", nameof(paths));
        var shards = paths.Select(p => (Path: p, Result: ShardFile.Read(p))).ToList();
        var (firstPath, first) = shards[0];
        foreach (var (path, shard) in shards.Skip(1))
        {
            if (Mismatch(shard.Header, first.Header, firstPath) is { } problem)
            {
                throw new DataFormatException(path, $"{problem}; the shards of one job must agree, so nothing was merged");
            }
        }
        int count = first.Header.Count;
        var byIndex = new string?[count];
        foreach (var (path, shard) in shards)
        {
            int index = shard.Header.Index;
            if (byIndex[index] is { } other) throw new DataFormatException(path, $"shard {shard.Header.Shard} is given twice ({other} is shard {index}/{count} too)");
            byIndex[index] = path;
        }
        if (Array.FindIndex(byIndex, p => p is null) is var missing and >= 0)
        {
            string given = string.Join(", ", Enumerable.Range(0, count).Where(i => byIndex[i] is not null));
            throw new DataFormatException(
                Path.Combine(Path.GetDirectoryName(firstPath) ?? "", ShardFile.NameFor(StemOf(firstPath), new Shard(missing, count))),
                $"missing: shard {missing}/{count} was not given (given: shards {given} of {count}); score it, then merge again");
        }
        ScoredPoints whole;
        try
        {
            whole = ScoredPoints.Merge(shards.Select(s => s.Result.Points).ToArray());
        }
        catch (ArgumentException e)
        {
            // Every header agreed and every checksum held, so only a shard written inconsistently gets here.
            throw new DataFormatException(firstPath, $"the shards do not fit together: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        return new MergedShards(first.Header, whole, byIndex.Select(p => p!).ToArray(), shards.Sum(s => s.Result.Header.Seconds));
    }

    /// <summary>The first way <paramref name="shard"/> is of another job than <paramref name="first"/> (read from <paramref name="firstPath"/>), in words, or null.</summary>
    private static string? Mismatch(ShardHeader shard, ShardHeader first, string firstPath)
    {
        if (shard.Kind != first.Kind) return $"a shard of aem {shard.Kind}, but {firstPath} is one of aem {first.Kind}";
        if (shard.Count != first.Count) return $"shard {shard.Shard}, but {firstPath} is shard {first.Shard}: all shards of a job have one N";
        if (shard.ModelSha256 != first.ModelSha256 || shard.Step != first.Step)
        {
            return $"scored another checkpoint than {firstPath}: model.bin SHA-256 {Short(shard.ModelSha256)}…, step {shard.Step} ({shard.Checkpoint}) " +
                $"against {Short(first.ModelSha256)}…, step {first.Step} ({first.Checkpoint})";
        }
        if (shard.Split != first.Split) return $"scored the {shard.Split} split, but {firstPath} the {first.Split} split";
        if (shard.DataFingerprint != first.DataFingerprint || shard.TotalPoints != first.TotalPoints || shard.AvailablePoints != first.AvailablePoints)
        {
            return $"scored other data than {firstPath}: {shard.Data}, {shard.TotalPoints:N0} points, SHA-256 {Short(shard.DataFingerprint)}… " +
                $"against {first.Data}, {first.TotalPoints:N0} points, SHA-256 {Short(first.DataFingerprint)}…";
        }
        if (shard.Units != first.Units) return $"reports in {shard.Units.Description}, but {firstPath} in {first.Units.Description}";
        foreach (var key in shard.Settings.Keys.Union(first.Settings.Keys).Order(StringComparer.Ordinal))
        {
            string mine = shard.Settings.GetValueOrDefault(key) ?? "(not set)", theirs = first.Settings.GetValueOrDefault(key) ?? "(not set)";
            if (mine != theirs) return $"scored with {key} = {mine}, but {firstPath} with {key} = {theirs}";
        }
        if (shard.Normalizer != first.Normalizer)
        {
            return $"scored with the {shard.Normalizer} normaliser, but {firstPath} with the {first.Normalizer}";
        }
        if (shard.Samples != first.Samples || shard.Seed != first.Seed)
        {
            return string.Create(CultureInfo.InvariantCulture, $"scored with S = {shard.Samples} and seed {shard.Seed}, but {firstPath} with S = {first.Samples} and seed {first.Seed}");
        }
        if (!SameKde(shard.KdeSelection, first.KdeSelection))
        {
            return $"chose AEM-KDE's settings otherwise ({Kde(shard.KdeSelection)}) than {firstPath} ({Kde(first.KdeSelection)})";
        }
        if (!shard.Columns.SequenceEqual(first.Columns, StringComparer.Ordinal))
        {
            return $"has the columns {string.Join(", ", shard.Columns)}, but {firstPath} {string.Join(", ", first.Columns)}";
        }
        return null;
    }

    private static bool SameKde(KdeSelection? a, KdeSelection? b) => (a, b) switch
    {
        (null, null) => true,
        ({ } x, { } y) => x.Bandwidth == y.Bandwidth && x.ProposalWeight == y.ProposalWeight,
        _ => false,
    };

    private static string Kde(KdeSelection? selection) =>
        selection is null ? "none" : string.Create(CultureInfo.InvariantCulture, $"h = {selection.Bandwidth:G6}, λ = {selection.ProposalWeight:G6}");

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    /// <summary>"scores" of "scores.shard-2-of-4.aemshard".</summary>
    private static string StemOf(string path)
    {
        string name = Path.GetFileName(path);
        int tag = name.LastIndexOf(".shard-", StringComparison.Ordinal);
        return tag > 0 ? name[..tag] : Path.GetFileNameWithoutExtension(name);
    }
}
