using Aem.Data;
using Aem.Evaluation;
using Aem.Runs;
using Aem.Tests.Data;

namespace Aem.Tests.Runs;

/// <summary>Shard files read back to the bit, and <see cref="ShardMerge"/> refuses anything but the N shards of one job.</summary>
public sealed class ShardMergeTests : IDisposable
{
    private const long Total = 1000;
    private readonly TempFolder folder = new();

    /// <summary>Shard <paramref name="index"/>/<paramref name="count"/> of a job over <see cref="Total"/> points whose values are a function of the point.</summary>
    private static ShardResult Shard(int index, int count, Func<ShardHeader, ShardHeader>? change = null, bool gaussian = false)
    {
        var shard = new Shard(index, count);
        // Point p's value is p itself: the merged whole must be 0, 1, 2, … in order.
        var mine = Enumerable.Range(0, (int)Total).Where(p => shard.Owns(p / TestEvaluation.PointsPerChunk)).Select(p => (double)p).ToArray();
        var points = new ScoredPoints(shard, Total, new PointScores(mine, mine.Select(v => -v).ToArray(), mine.Select(v => v / 2).ToArray(), mine), null, gaussian ? mine : null)
        {
            Samples = 100,
            AvailablePoints = Total,
            Fingerprint = "ab",
        };
        var header = new ShardHeader
        {
            Kind = ShardHeader.ScoreKind,
            Index = index,
            Count = count,
            Checkpoint = "/runs/a/best",
            ModelSha256 = "0123456789abcdef",
            Step = 40,
            Data = "/data/rows.csv",
            DataFingerprint = "ab",
            Units = new ScoreUnits("the data's own units", 0),
            Seed = 1,
            Settings = new Dictionary<string, string> { ["Samples"] = "100", ["Seed"] = "1" },
            Output = "scores.csv",
        };
        return new ShardResult(change is null ? header : change(header), points);
    }

    private string Write(ShardResult result, string? name = null)
    {
        string path = folder.File(name ?? ShardFile.NameFor("scores", result.Points.Shard));
        File.Delete(path);
        ShardFile.Write(path, result);
        return path;
    }

    [Fact]
    public void ShardFile_ReadsBackEveryValueToTheBit()
    {
        var original = Shard(1, 3, gaussian: true);
        original.Points.Scores.LogDensity[0] = double.NaN;
        original.Points.Scores.LogDensity[1] = double.NegativeInfinity;
        original.Points.Scores.LogProposal[2] = double.Epsilon;
        original.Points.Scores.LogProposal[3] = Math.BitDecrement(1.0);
        var read = ShardFile.Read(Write(original));
        Assert.Equal(original.Points.Scores.LogDensity, read.Points.Scores.LogDensity);
        Assert.Equal(original.Points.Scores.LogProposal, read.Points.Scores.LogProposal);
        Assert.Equal(original.Points.Scores.MinEffectiveSampleSize, read.Points.Scores.MinEffectiveSampleSize);
        Assert.Equal(original.Points.Gaussian, read.Points.Gaussian);
        Assert.Equal(original.Points.Shard, read.Points.Shard);
        Assert.Equal(original.Header.Settings, read.Header.Settings);
        Assert.Equal(SufficientStatistics.Of(original.Points.Scores.LogProposal), read.Header.Statistics[ShardFile.LogProposal]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Merge_PutsThePointsBackInOrder(int count)
    {
        var paths = Enumerable.Range(0, count).Reverse().Select(i => Write(Shard(i, count))).ToArray();
        var merged = ShardMerge.Merge(paths);
        Assert.Equal(Enumerable.Range(0, (int)Total).Select(p => (double)p), merged.Points.Scores.LogDensity);
        Assert.Equal(Enumerable.Range(0, count).Select(i => paths[count - 1 - i]), merged.Files);
    }

    public static TheoryData<string, string> Mismatches() => new()
    {
        { "checkpoint", "another checkpoint" },
        { "step", "another checkpoint" },
        { "samples", "Samples = 200" },
        { "seed", "Seed = 2" },
        { "setting", "Normalizer = \"exact\"" },
        { "data", "other data" },
        { "points", "other data" },
        { "split", "split" },
        { "units", "reports in" },
        { "kind", "a shard of aem evaluate" },
        { "count", "all shards of a job have one N" },
        { "kde", "AEM-KDE" },
        { "columns", "columns" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Merge_RefusesAShardOfAnotherJob_NamingIt(string what, string problem)
    {
        Func<ShardHeader, ShardHeader> change = what switch
        {
            "checkpoint" => h => h with { ModelSha256 = "fedcba9876543210" },
            "step" => h => h with { Step = 41 },
            "samples" => h => h with { Settings = new Dictionary<string, string>(h.Settings) { ["Samples"] = "200" } },
            "seed" => h => h with { Settings = new Dictionary<string, string>(h.Settings) { ["Seed"] = "2" } },
            // A setting the other shards do not have at all (e.g. one added by a later version).
            "setting" => h => h with { Settings = new Dictionary<string, string>(h.Settings) { ["Normalizer"] = "\"exact\"" } },
            "data" => h => h with { DataFingerprint = "cd" },
            "points" => h => h,
            "split" => h => h with { Split = DataSplit.Validation },
            "units" => h => h with { Units = new ScoreUnits("other units", 1.5) },
            "kind" => h => h with { Kind = ShardHeader.EvaluateKind },
            "count" => h => h,
            "kde" => h => h,
            "columns" => h => h,
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var good = Enumerable.Range(0, 3).Select(i => Write(Shard(i, 3))).ToArray();
        var odd = what switch
        {
            "count" => Shard(1, 4),
            "kde" => Shard(1, 3) with { Points = Shard(1, 3).Points with { KdeSelection = new KdeSelection(0.1, 0.5, new MeanWithError(0, 0, 1), [0.1], [0.5], [[0.0]], 10, 10) } },
            "columns" => Shard(1, 3, gaussian: true),
            "points" => Shard(1, 3) with { Points = Shard(1, 3).Points with { AvailablePoints = Total + 1 } },
            _ => Shard(1, 3, change),
        };
        string oddPath = Write(odd, "odd.aemshard");
        string output = folder.File("scores.csv");
        var error = Assert.Throws<DataFormatException>(() => ShardMerge.Merge([good[0], oddPath, good[2]]));
        Assert.Equal(oddPath, error.File);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(output));
        // The same shards of one job merge.
        ShardMerge.Merge(good);
    }

    [Fact]
    public void Merge_RefusesAMissingOrARepeatedShard_NamingIt()
    {
        var paths = Enumerable.Range(0, 4).Select(i => Write(Shard(i, 4))).ToArray();
        var missing = Assert.Throws<DataFormatException>(() => ShardMerge.Merge([paths[0], paths[1], paths[3]]));
        Assert.Equal(paths[2], missing.File);
        Assert.Contains("shard 2/4 was not given", missing.Message, StringComparison.Ordinal);
        string copy = folder.File("copy-of-1.aemshard");
        File.Copy(paths[1], copy);
        var twice = Assert.Throws<DataFormatException>(() => ShardMerge.Merge([.. paths, copy]));
        Assert.Equal(copy, twice.File);
        Assert.Contains("given twice", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesATruncatedADamagedOrAForeignFile_NamingIt()
    {
        string path = Write(Shard(0, 2));
        var bytes = File.ReadAllBytes(path);
        string truncated = folder.WriteBytes("truncated.aemshard", bytes[..^8]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => ShardFile.Read(truncated)).Message, StringComparison.Ordinal);
        var damagedBytes = (byte[])bytes.Clone();
        damagedBytes[^3] ^= 1;
        string damaged = folder.WriteBytes("damaged.aemshard", damagedBytes);
        var error = Assert.Throws<DataFormatException>(() => ShardFile.Read(damaged));
        Assert.Equal(damaged, error.File);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        string foreign = folder.WriteText("rows.aemshard", "a,b\n1,2\n");
        Assert.Contains("not a shard file", Assert.Throws<DataFormatException>(() => ShardFile.Read(foreign)).Message, StringComparison.Ordinal);
        string json = folder.WriteText("other.aemshard", "{\"Format\":\"something else\"}\n");
        Assert.Contains("not a shard file", Assert.Throws<DataFormatException>(() => ShardFile.Read(json)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Dispose();
}
