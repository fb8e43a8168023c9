using Aem.Evaluation;

namespace Aem.Tests.Evaluation;

public class EffectiveSampleSizeTallyTests
{
    [Fact]
    public void AgreesWithTheExactSummary_MinAndShareExactly_MedianWithinABin()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 10_001).Select(_ => 1 + (100 * random.NextDouble() * random.NextDouble())).ToArray();
        var tally = new EffectiveSampleSizeTally(100);
        tally.Add(values.Take(4000));
        tally.Add(values.Skip(4000));
        var exact = EffectiveSampleSizeSummary.Of(values, 100);
        var streamed = tally.Summary()!;
        Assert.Equal(values.Length, tally.Count);
        Assert.Equal(exact.Min, streamed.Min);
        Assert.Equal(exact.ShareBelow, streamed.ShareBelow);
        Assert.Equal(exact.Threshold, streamed.Threshold);
        Assert.InRange(streamed.Median, exact.Median - (101.0 / 1000), exact.Median + (101.0 / 1000));
    }

    [Fact]
    public void IsEmptyUntilAPointIsCounted() => Assert.Null(new EffectiveSampleSizeTally(10).Summary());
}
