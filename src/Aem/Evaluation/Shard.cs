using System.Globalization;

namespace Aem.Evaluation;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of a scoring job (<c>--shard I/N</c>): the points are cut
/// into the chunks of <see cref="TestEvaluation.PointsPerChunk"/> that the scorer draws its importance samples
/// for, and chunk k (points 256k … 256k + 255) belongs to shard k mod N. Every chunk's samples come from a seed
/// that depends only on the run's seed and k, so a shard scores its points exactly as one process scoring
/// everything would, and <see cref="ScoredPoints.Merge"/> puts the shards back together bit for bit.
/// Dealing chunks round-robin keeps the shards within one chunk of each other in size without knowing the
/// number of points in advance (a CSV file is streamed), and spreads a sorted file's hard rows evenly.
/// </summary>
/// <param name="Index">0-based: 0 ≤ Index &lt; Count (Slurm's <c>SLURM_ARRAY_TASK_ID</c> with <c>--array=0-(N-1)</c>, Kubernetes' <c>JOB_COMPLETION_INDEX</c>).</param>
/// <param name="Count">N, the number of shards.</param>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The whole job in one shard.</summary>
    public static Shard Whole { get; } = new(0, 1);

    /// <summary>Index and count, checked: 0 ≤ <see cref="Index"/> &lt; <see cref="Count"/>.</summary>
    public int Index { get; } = Count >= 1 && Index >= 0 && Index < Count
        ? Index
        : throw new ArgumentOutOfRangeException(nameof(Index), $"A shard is I/N with 0 ≤ I < N (got {Index}/{Count}).");

    /// <summary>Parses <c>I/N</c>, e.g. <c>2/4</c>; throws <see cref="FormatException"/> naming the problem.</summary>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw new FormatException($"a shard is I/N, e.g. 0/4 (the first of four), not '{text}'");
        }
        if (count < 1 || index >= count) throw new FormatException($"a shard I/N needs 0 ≤ I < N, not '{text}'");
        return new Shard(index, count);
    }

    /// <summary>The number of chunks <paramref name="points"/> points make.</summary>
    public static long Chunks(long points) => (points + TestEvaluation.PointsPerChunk - 1) / TestEvaluation.PointsPerChunk;

    /// <summary>Whether chunk <paramref name="chunk"/> (0-based) is this shard's.</summary>
    public bool Owns(long chunk) => chunk % Count == Index;

    /// <summary>The shard that scores chunk <paramref name="chunk"/> in a job of <paramref name="count"/> shards.</summary>
    public static int OwnerOf(long chunk, int count) => (int)(chunk % count);

    /// <summary>How many of <paramref name="points"/> points this shard scores.</summary>
    public long PointsOf(long points)
    {
        long total = 0;
        for (long chunk = Index, chunks = Chunks(points); chunk < chunks; chunk += Count)
        {
            total += Math.Min(TestEvaluation.PointsPerChunk, points - (chunk * TestEvaluation.PointsPerChunk));
        }
        return total;
    }

    /// <summary>The file-name form, <c>shard-I-of-N</c>.</summary>
    public string FileTag => string.Create(CultureInfo.InvariantCulture, $"shard-{Index}-of-{Count}");

    /// <summary><c>I/N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
