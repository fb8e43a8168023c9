using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// Binarisation of grey-level images in [0, 1] by independent Bernoulli draws, one per pixel
/// (the "dynamically binarised MNIST" of Burda et al., 2016): training draws afresh every time an
/// image is used; evaluation uses one fixed, seeded draw so that every model sees the same test set.
/// </summary>
internal static class Binarization
{
    /// <summary>Seed of the fixed binarisation of the test set.</summary>
    public const long TestSeed = 20_160_101;

    /// <summary>Seed of the fixed binarisation of the validation set.</summary>
    public const long ValidationSeed = 20_160_102;

    /// <summary>x ~ Bernoulli(<paramref name="grey"/>) element-wise, same shape and dtype.</summary>
    public static Tensor Sample(Tensor grey, Generator? generator = null) => bernoulli(grey, generator);

    /// <summary>A fixed binarisation: the same <paramref name="seed"/> gives the same binary images.</summary>
    public static Tensor Fixed(Tensor grey, long seed)
    {
        ArgumentNullException.ThrowIfNull(grey);
        using var generator = new Generator((ulong)seed, grey.device);
        return bernoulli(grey, generator);
    }
}
