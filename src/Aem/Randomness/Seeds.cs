using static TorchSharp.torch;

namespace Aem.Randomness;

/// <summary>
/// Derives independent seeds from a run seed and a counter (SplitMix64), so that every random draw
/// of step t is a function of (seed, t): a resumed run repeats an uninterrupted one exactly without
/// having to save generator states.
/// </summary>
internal static class Seeds
{
    /// <summary>A 63-bit seed for draw <paramref name="counter"/> of <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static long Derive(long seed, long stream, long counter)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + ((ulong)stream << 32) + (ulong)counter);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (long)(z & 0x7FFFFFFFFFFFFFFFUL);
    }

    /// <summary>
    /// One 63-bit seed drawn from <paramref name="generator"/> (torch's default generator when null),
    /// for a component that derives its own random streams from it.
    /// </summary>
    public static long Draw(Generator? generator = null, Device? device = null)
    {
        using var draw = randint(long.MaxValue, [1], dtype: ScalarType.Int64, device: device, generator: generator);
        return draw.item<long>();
    }

    /// <summary>Stream ids, one per kind of randomness, so no two kinds ever share a seed.</summary>
    public static class Streams
    {
        public const long Batches = 1;
        public const long Dropout = 2;
        public const long Proposal = 3;
        public const long Validation = 4;
        public const long EvaluationBatches = 5;
        public const long VaeBatches = 11;
        public const long Binarisation = 12;
        public const long PosteriorNoise = 13;
        public const long VaeValidation = 14;
    }
}
