using Aem.Training;

namespace Aem.Tests.Training;

public class EpochBatchesTests
{
    private const int Rows = 23, BatchSize = 5, BatchesPerEpoch = Rows / BatchSize;

    private static long[] Indices(EpochBatches batches, int step) => batches.Indices(Rows, step).data<long>().ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AnEpoch_TakesWholeBatchesOfDistinctRows(int epoch)
    {
        using var batches = new EpochBatches(BatchSize, seed: 3, stream: 1);
        var rows = Enumerable.Range(epoch * BatchesPerEpoch, BatchesPerEpoch).SelectMany(step => Indices(batches, step)).ToArray();

        Assert.Equal(BatchesPerEpoch * BatchSize, rows.Length);
        Assert.Equal(rows.Length, rows.Distinct().Count());
        Assert.All(rows, row => Assert.InRange(row, 0, Rows - 1));
    }

    [Fact]
    public void AStepsBatch_DependsOnlyOnTheSeedAndTheStep()
    {
        using var walked = new EpochBatches(BatchSize, seed: 3, stream: 1);
        var expected = Enumerable.Range(0, 3 * BatchesPerEpoch).Select(step => Indices(walked, step)).ToArray();

        // A resumed run starts at a later step with a fresh instance.
        using var resumed = new EpochBatches(BatchSize, seed: 3, stream: 1);
        for (int step = BatchesPerEpoch + 2; step < expected.Length; step++) Assert.Equal(expected[step], Indices(resumed, step));
    }

    [Fact]
    public void EpochsSeedsAndStreams_ShuffleDifferently()
    {
        using var batches = new EpochBatches(BatchSize, seed: 3, stream: 1);
        using var otherSeed = new EpochBatches(BatchSize, seed: 4, stream: 1);
        using var otherStream = new EpochBatches(BatchSize, seed: 3, stream: 2);
        var first = Indices(batches, 0);

        Assert.NotEqual(first, Indices(batches, BatchesPerEpoch));
        Assert.NotEqual(first, Indices(otherSeed, 0));
        Assert.NotEqual(first, Indices(otherStream, 0));
    }

    [Fact]
    public void OtherData_InTheSameEpoch_GetsAPermutationOfItsOwnRows()
    {
        using var batches = new EpochBatches(BatchSize, seed: 3, stream: 1);
        _ = Indices(batches, 0);
        // A second run on fewer rows must not index past them with the first run's permutation.
        const int fewer = 11;
        var rows = Enumerable.Range(0, fewer / BatchSize).SelectMany(step => batches.Indices(fewer, step).data<long>().ToArray()).ToArray();
        Assert.All(rows, row => Assert.InRange(row, 0, fewer - 1));
        Assert.Equal(rows.Length, rows.Distinct().Count());
    }
}
