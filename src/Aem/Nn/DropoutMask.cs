using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Nn;

/// <summary>
/// Inverted-dropout masks: each entry is 0 with probability p and 1/(1 − p) otherwise.
/// libtorch draws its CPU dropout masks with a serial Mersenne-Twister loop, one draw per unit; in a
/// POWER training step that took 0.25–0.5 s of a 1.0 s step. On CPU float32 tensors the mask is
/// instead a counter-based hash of (key, element index), vectorised: the same numbers for a given key
/// on any thread count, and no generator state to save. The key is drawn from the thread's key generator
/// (<see cref="UseKeys"/>) or else torch's default generator, so seeding either makes a step's masks reproducible.
/// </summary>
internal static class DropoutMask
{
    // Per thread, so two training workers each draw their micro-batch's masks from its own stream: from the
    // shared default generator their draws would interleave in whatever order the threads ran.
    [ThreadStatic]
    private static Generator? keys;

    /// <summary>
    /// Until the returned scope is disposed, masks drawn on this thread take their keys from <paramref name="generator"/>
    /// (on the CPU path; elsewhere libtorch's kernel draws from it).
    /// </summary>
    public static KeyScope UseKeys(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var previous = keys;
        keys = generator;
        return new KeyScope(previous);
    }

    /// <summary>Restores the thread's previous key generator.</summary>
    public readonly struct KeyScope(Generator? previous) : IDisposable
    {
        public void Dispose() => keys = previous;
    }

    /// <summary>A mask shaped, typed and placed like <paramref name="like"/>; the caller owns it.</summary>
    public static Tensor Draw(Tensor like, double probability)
    {
        ArgumentNullException.ThrowIfNull(like);
        if (probability is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout probability must be in (0, 1).");
        }
        if (like.device_type != DeviceType.CPU || like.dtype != ScalarType.Float32 || like.numel() > int.MaxValue / sizeof(float))
        {
            // Elsewhere libtorch's own kernel is used (on a GPU it is fast).
            var mask = empty_like(like).bernoulli_(1 - probability, generator: keys);
            using var scale = TorchSharp.ScalarExtensionMethods.ToScalar(1 / (1 - probability));
            return mask.mul_(scale);
        }
        ulong key = (ulong)Randomness.Seeds.Draw(keys);
        var result = empty(like.shape, dtype: ScalarType.Float32);
        Fill(MemoryMarshal.Cast<byte, float>(result.bytes), key, probability);
        return result;
    }

    /// <summary>
    /// Fills <paramref name="mask"/> from <paramref name="key"/>: entry i is dropped when a 32-bit hash
    /// of (key, i) falls below p · 2³². Vector and scalar paths give identical numbers.
    /// </summary>
    // Straight to optimised code: tier-0 Vector256 code is four times slower, and a mask is needed at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(Span<float> mask, ulong key, double probability)
    {
        uint low = (uint)key, high = (uint)(key >> 32);
        uint threshold = (uint)Math.Min(uint.MaxValue, Math.Round(probability * 4294967296.0));
        float scale = (float)(1 / (1 - probability));
        int i = 0;
        if (Vector256.IsHardwareAccelerated && mask.Length >= Vector256<float>.Count)
        {
            var lanes = Vector256.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u);
            var lowV = Vector256.Create(low);
            var highV = Vector256.Create(high);
            var thresholdV = Vector256.Create(threshold);
            var scaleV = Vector256.Create(scale);
            ref float start = ref MemoryMarshal.GetReference(mask);
            for (; i <= mask.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var h = Mix(Mix(lanes + Vector256.Create((uint)i) + lowV) ^ highV);
                var keep = Vector256.GreaterThanOrEqual(h, thresholdV).AsSingle();
                Vector256.ConditionalSelect(keep, scaleV, Vector256<float>.Zero).StoreUnsafe(ref start, (nuint)i);
            }
        }
        for (; i < mask.Length; i++)
        {
            mask[i] = Mix(Mix((uint)i + low) ^ high) >= threshold ? scale : 0f;
        }
    }

    // A 32-bit integer hash with good avalanche (Wellons's "lowbias32" constants).
    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352d;
        x ^= x >> 15;
        x *= 0x846ca68b;
        x ^= x >> 16;
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Mix(Vector256<uint> x)
    {
        x ^= Vector256.ShiftRightLogical(x, 16);
        x *= Vector256.Create(0x7feb352du);
        x ^= Vector256.ShiftRightLogical(x, 15);
        x *= Vector256.Create(0x846ca68bu);
        x ^= Vector256.ShiftRightLogical(x, 16);
        return x;
    }
}
