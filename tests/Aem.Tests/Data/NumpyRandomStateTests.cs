using Aem.Data;

namespace Aem.Tests.Data;

/// <summary>Reference values computed with NumPy 1.24's legacy <c>RandomState</c>.</summary>
public class NumpyRandomStateTests
{
    [Fact]
    public void Rand_MatchesNumpySeed42()
    {
        var random = new NumpyRandomState(42);
        Assert.Equal(0.3745401188473625, random.NextDouble());
        Assert.Equal(0.9507143064099162, random.NextDouble());
        Assert.Equal(0.7319939418114051, random.NextDouble());
    }

    [Fact]
    public void Shuffle_MatchesNumpyPermutation()
    {
        Assert.Equal([8, 1, 5, 0, 7, 2, 9, 4, 3, 6], new NumpyRandomState(42).Permutation(10));
        Assert.Equal([521, 737, 740, 660, 411, 678, 626, 513], new NumpyRandomState(42).Permutation(1000)[..8]);
        var large = new NumpyRandomState(7).Permutation(100_000);
        Assert.Equal([33909, 92307, 89107, 9538, 31008], large[..5]);
        Assert.Equal([53459, 10742, 49689, 58564, 61615], large[^5..]);
    }

    [Fact]
    public void Interval_StaysInRangeAndCoversIt()
    {
        var random = new NumpyRandomState(3);
        var seen = new int[6];
        for (int i = 0; i < 6000; i++)
        {
            seen[random.Interval(5)]++;
        }
        Assert.All(seen, count => Assert.InRange(count, 850, 1150));
    }
}
