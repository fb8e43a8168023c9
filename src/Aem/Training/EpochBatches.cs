using Aem.Randomness;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// Shuffled epochs of whole batches: with N rows and batch size B, step t takes batch t mod ⌊N/B⌋ of a
/// permutation of the rows seeded by (seed, stream, epoch ⌊t / ⌊N/B⌋⌋), so a step's batch depends only on
/// (seed, t) and a resumed run sees the same batches as an uninterrupted one. The N mod B rows at the end
/// of each permutation sit the epoch out. The current epoch's permutation is kept for its steps.
/// </summary>
internal sealed class EpochBatches(int batchSize, long seed, long stream) : IDisposable
{
    private readonly Generator generator = new(0, CPU);
    private Tensor? permutation;
    private long permutationEpoch = -1;

    /// <summary>The <c>[B]</c> row indices of step <paramref name="step"/>'s batch out of <paramref name="count"/> rows.</summary>
    public Tensor Indices(long count, int step)
    {
        long batchesPerEpoch = count / batchSize;
        long epoch = step / batchesPerEpoch;
        // Keyed by the row count too: a second Run on other data must not reuse a permutation of the wrong length.
        if (epoch != permutationEpoch || permutation!.shape[0] != count)
        {
            permutation?.Dispose();
            generator.manual_seed(Seeds.Derive(seed, stream, epoch));
            permutation = randperm(count, generator: generator).DetachFromDisposeScope();
            permutationEpoch = epoch;
        }
        return permutation!.narrow(0, (step % batchesPerEpoch) * batchSize, batchSize);
    }

    public void Dispose()
    {
        permutation?.Dispose();
        generator.Dispose();
    }
}
