using Aem.Evaluation;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

/// <summary>Scoring split into shards and merged is the single-process scoring, point for point.</summary>
public class ShardTests
{
    // 2,000 points: 8 chunks of 256, the last one short (208), so no N below divides them evenly.
    private const int Points = 2000;

    private static (TestEvaluationOptions Options, Tensor Test) Job(int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var test = randn([Points, 2], dtype: float64, generator: generator);
        var baseline = GaussianBaseline.Fit(test);
        return (new TestEvaluationOptions { Samples = 16, Seed = 7, LogAbsDetJacobian = -0.25, Baseline = baseline }, test);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void MergedShards_EqualOneProcess_PointByPoint_AndInTheSummary(int count)
    {
        using var model = EvaluationModels.Create(features: 2, seed: 3);
        var (options, test) = Job(seed: 1);
        using (test)
        {
            var whole = TestEvaluation.ScorePoints(model, test, null, options, Shard.Whole);
            var single = TestEvaluation.Run(model, test, options: options);
            // The shards in reverse order: merging does not depend on the order they are given in.
            var shards = Enumerable.Range(0, count).Reverse().Select(i => TestEvaluation.ScorePoints(model, test, null, options, new Shard(i, count))).ToArray();
            Assert.Equal(Points, shards.Sum(s => s.Scores.Count));
            if (count > 1) Assert.NotEqual(shards.Min(s => s.Scores.Count), shards.Max(s => s.Scores.Count));
            Assert.All(shards, s => Assert.Equal(whole.Fingerprint, s.Fingerprint));

            var merged = ScoredPoints.Merge(shards);
            Assert.Equal(whole.Scores.LogDensity, merged.Scores.LogDensity);
            Assert.Equal(whole.Scores.LogProposal, merged.Scores.LogProposal);
            Assert.Equal(whole.Scores.MinEffectiveSampleSize, merged.Scores.MinEffectiveSampleSize);
            Assert.Equal(whole.Scores.BoundedLogDensity, merged.Scores.BoundedLogDensity);
            Assert.Equal(whole.Gaussian, merged.Gaussian);
            Assert.Equal(single, TestEvaluation.Summarize(merged));

            // The shards' sufficient statistics alone give the same mean ± 2 SE to rounding.
            var combined = shards.Select(s => SufficientStatistics.Of(s.Scores.LogDensity)).Aggregate(SufficientStatistics.Combine).ToMeanWithError();
            Assert.Equal(single.Aem.Count, combined.Count);
            Assert.Equal(single.Aem.Mean, combined.Mean, 1e-12);
            Assert.Equal(single.Aem.StandardError, combined.StandardError, 1e-12);
        }
    }

    [Fact]
    public void MergedKdeShards_EqualOneProcess_PointByPoint()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 4);
        using var generator = new Generator(2, CPU);
        using var test = randn([600, 2], dtype: float64, generator: generator);
        using var validation = randn([300, 2], dtype: float64, generator: generator);
        var options = new TestEvaluationOptions { Samples = 16, Seed = 3, Kde = true, KdeValidationPoints = 50, Bandwidths = [0.1, 0.3], ProposalWeights = [0.1, 0.5] };
        var whole = TestEvaluation.ScorePoints(model, test, validation, options, Shard.Whole);
        var shards = Enumerable.Range(0, 2).Select(i => TestEvaluation.ScorePoints(model, test, validation, options, new Shard(i, 2))).ToArray();
        var merged = ScoredPoints.Merge(shards);
        Assert.Equal(whole.LogKde, merged.LogKde);
        Assert.Equal(whole.Scores.LogDensity, merged.Scores.LogDensity);
        Assert.Equal((whole.KdeSelection!.Bandwidth, whole.KdeSelection.ProposalWeight, whole.KdeSelection.Score), (merged.KdeSelection!.Bandwidth, merged.KdeSelection.ProposalWeight, merged.KdeSelection.Score));
        // KdeSelection's grids are arrays, which records compare by reference: compared above instead.
        Assert.Equal(TestEvaluation.Run(model, test, validation, options) with { KdeSelection = null }, TestEvaluation.Summarize(merged) with { KdeSelection = null });
    }

    [Fact]
    public void Merge_RefusesAMissingARepeatedOrAForeignShard()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 3);
        using var generator = new Generator(5, CPU);
        using var test = randn([600, 2], dtype: float64, generator: generator);
        var options = new TestEvaluationOptions { Samples = 8, Seed = 1 };
        var shards = Enumerable.Range(0, 3).Select(i => TestEvaluation.ScorePoints(model, test, null, options, new Shard(i, 3))).ToArray();
        var ofTwo = TestEvaluation.ScorePoints(model, test, null, options, new Shard(1, 2));
        Assert.Contains("missing", Assert.Throws<ArgumentException>(() => ScoredPoints.Merge([shards[0], shards[2]])).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => ScoredPoints.Merge([shards[0], shards[1], shards[1]])).Message, StringComparison.Ordinal);
        Assert.Contains("one of 2", Assert.Throws<ArgumentException>(() => ScoredPoints.Merge([shards[0], ofTwo, shards[2]])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(256, 3)]
    [InlineData(2000, 7)]
    [InlineData(300, 5)]
    public void Shards_PartitionThePoints_ByWholeChunks(long points, int count)
    {
        var shards = Enumerable.Range(0, count).Select(i => new Shard(i, count)).ToArray();
        Assert.Equal(points, shards.Sum(s => s.PointsOf(points)));
        for (long chunk = 0; chunk < Shard.Chunks(points); chunk++) Assert.Single(shards, s => s.Owns(chunk));
        // Round-robin: sizes differ by at most one chunk.
        Assert.InRange(shards.Max(s => s.PointsOf(points)) - shards.Min(s => s.PointsOf(points)), 0, TestEvaluation.PointsPerChunk);
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void Parse_ReadsIOverN(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    [InlineData(" 1/2")]
    public void Parse_RefusesWhatIsNotIOverN(string text) => Assert.Throws<FormatException>(() => Shard.Parse(text));

    [Fact]
    public void SufficientStatistics_CombineAsTheUnion()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1000).Select(_ => 1e4 + random.NextDouble()).ToArray();
        var whole = SufficientStatistics.Of(values);
        var parts = SufficientStatistics.Combine(SufficientStatistics.Of(values[..137]), SufficientStatistics.Combine(SufficientStatistics.Empty, SufficientStatistics.Of(values[137..])));
        Assert.Equal(whole.Count, parts.Count);
        Assert.Equal(whole.Mean, parts.Mean, 1e-9);
        Assert.Equal(whole.SumOfSquaredDeviations, parts.SumOfSquaredDeviations, 1e-6);
        Assert.Equal(MeanWithError.Of(values), whole.ToMeanWithError());
    }
}
