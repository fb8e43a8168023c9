using Aem.Model;
namespace Aem.Evaluation;

/// <summary>
/// Per-point results of a test evaluation or a scoring: all points, or the chunks one <see cref="Shard"/>
/// scored, in the order it scored them (chunk Index, Index + N, Index + 2N, … of the points).
/// <see cref="TestEvaluation.Summarize"/> turns the whole into the report; <see cref="Merge"/> makes the
/// whole out of the shards.
/// </summary>
/// <param name="Shard">Which part of the points these are (<see cref="Shard.Whole"/> for all).</param>
/// <param name="TotalPoints">The points of the whole job (all shards).</param>
/// <param name="Scores">
/// The AEM's and the proposal's log-likelihoods, the smallest ESS and the bounded log-likelihood of each of
/// the shard's points (the last two are empty with AEM-KDE, which does not compute them).
/// </param>
/// <param name="LogKde">AEM-KDE's log-likelihood of each point at the selected (h, λ), or null.</param>
/// <param name="Gaussian">The Gaussian baseline's log-likelihood of each point, or null.</param>
public sealed record ScoredPoints(Shard Shard, long TotalPoints, PointScores Scores, double[]? LogKde = null, double[]? Gaussian = null)
{
    /// <summary>Importance samples per conditional.</summary>
    public int Samples { get; init; }

    /// <summary>How each conditional's samples were placed.</summary>
    public NormalizerEstimator Normalizer { get; init; } = NormalizerEstimator.Iid;

    /// <summary>Points available before a seeded subset was taken (<c>--max-points</c>); <see cref="TotalPoints"/> without one.</summary>
    public long AvailablePoints { get; init; }

    /// <summary>How AEM-KDE's h and λ were chosen (the same in every shard), or null.</summary>
    public KdeSelection? KdeSelection { get; init; }

    /// <summary>
    /// SHA-256 (lowercase hex) of all the job's points as scored, float64 in order, or null when not computed:
    /// shards of one job agree on it, so a shard of other data is noticed.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>
    /// The whole from its shards, in any order: one of each index 0 … N−1 of one N, over the same points.
    /// The per-point values are the shards' own, so the whole equals one process's scoring to the bit.
    /// </summary>
    /// <exception cref="ArgumentException">A shard is missing, repeated, of another N or another total, or has the wrong number of points.</exception>
    public static ScoredPoints Merge(IReadOnlyList<ScoredPoints> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0) throw new ArgumentException("No shards to merge.", nameof(shards));
        var first = shards[0];
        int count = first.Shard.Count;
        var byIndex = new ScoredPoints?[count];
        foreach (var shard in shards)
        {
            if (shard.Shard.Count != count) throw new ArgumentException($"Shard {shard.Shard} is one of {shard.Shard.Count}, shard {first.Shard} one of {count}.", nameof(shards));
            if (shard.TotalPoints != first.TotalPoints) throw new ArgumentException($"Shard {shard.Shard} is of {shard.TotalPoints} points, shard {first.Shard} of {first.TotalPoints}.", nameof(shards));
            if (shard.Normalizer != first.Normalizer)
            {
                throw new ArgumentException($"Shard {shard.Shard} used the {shard.Normalizer} normaliser, shard {first.Shard} the {first.Normalizer}.", nameof(shards));
            }
            if (byIndex[shard.Shard.Index] is not null) throw new ArgumentException($"Shard {shard.Shard} is given twice.", nameof(shards));
            if (shard.Scores.Count != shard.Shard.PointsOf(shard.TotalPoints))
            {
                throw new ArgumentException($"Shard {shard.Shard} has {shard.Scores.Count} points, but shard {shard.Shard} of {shard.TotalPoints} points has {shard.Shard.PointsOf(shard.TotalPoints)}.", nameof(shards));
            }
            byIndex[shard.Shard.Index] = shard;
        }
        if (Array.FindIndex(byIndex, s => s is null) is var missing and >= 0)
        {
            throw new ArgumentException($"Shard {missing}/{count} is missing.", nameof(shards));
        }
        var parts = byIndex.Select(s => s!).ToArray();
        return new ScoredPoints(
            Shard.Whole,
            first.TotalPoints,
            new PointScores(
                Interleave(parts, s => s.Scores.LogDensity),
                Interleave(parts, s => s.Scores.LogProposal),
                Interleave(parts, s => s.Scores.MinEffectiveSampleSize),
                Interleave(parts, s => s.Scores.BoundedLogDensity)),
            first.LogKde is null ? null : Interleave(parts, s => s.LogKde!),
            first.Gaussian is null ? null : Interleave(parts, s => s.Gaussian!))
        {
            Samples = first.Samples,
            Normalizer = first.Normalizer,
            AvailablePoints = first.AvailablePoints,
            KdeSelection = first.KdeSelection,
            Fingerprint = first.Fingerprint,
        };
    }

    /// <summary>
    /// Deals the shards' chunks back into point order. A column that is empty in every shard (ESS with
    /// AEM-KDE) stays empty; one that is present in some shards only is refused.
    /// </summary>
    private static double[] Interleave(ScoredPoints[] shards, Func<ScoredPoints, double[]?> column)
    {
        var columns = shards.Select(s => column(s) ?? throw new ArgumentException($"Shard {s.Shard} lacks a column the others have.", nameof(shards))).ToArray();
        if (columns.All(c => c.Length == 0)) return [];
        long total = shards[0].TotalPoints;
        for (int i = 0; i < shards.Length; i++)
        {
            if (columns[i].Length != shards[i].Scores.Count) throw new ArgumentException($"Shard {shards[i].Shard} lacks a column the others have.", nameof(shards));
        }
        var result = new double[total];
        var next = new int[shards.Length];
        long chunk = 0;
        for (long start = 0; start < total; start += TestEvaluation.PointsPerChunk, chunk++)
        {
            int owner = Shard.OwnerOf(chunk, shards.Length);
            int length = (int)Math.Min(TestEvaluation.PointsPerChunk, total - start);
            Array.Copy(columns[owner], next[owner], result, start, length);
            next[owner] += length;
        }
        return result;
    }
}
