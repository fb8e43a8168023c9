namespace Aem.Vae;

/// <summary>
/// The architecture of a <see cref="ConvVae"/> (paper appendix B, after IAF and NAF): a 1×1 projection
/// to <see cref="Channels"/> channels, then residual blocks alternating with strided downsampling
/// residual blocks that double the channels, a linear map to the means and log-variances of
/// <see cref="Latents"/> latents; the decoder mirrors it with transposed convolutions. Defaults are the
/// paper's MNIST setting: 28×28 images padded to 32×32, 16 → 32 → 64 → 128 channels, 4×4 at the bottom.
/// </summary>
public sealed record VaeOptions
{
    /// <summary>L, the number of latent units.</summary>
    public int Latents { get; init; } = 32;

    /// <summary>Channels after the input projection; doubled at each downsampling.</summary>
    public int Channels { get; init; } = 16;

    /// <summary>Strided downsampling blocks, each halving the feature maps' side and doubling the channels (3 for MNIST: 32 → 4).</summary>
    public int Downsamplings { get; init; } = 3;

    /// <summary>Resolution-preserving residual blocks at each stage, between the downsamplings.</summary>
    public int BlocksPerStage { get; init; } = 1;

    /// <summary>Side of the square input images (28 for MNIST).</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>The image side after zero-padding to a multiple of 2^<see cref="Downsamplings"/> (32 for MNIST).</summary>
    public int PaddedSize => (ImageSize + (1 << Downsamplings) - 1) >> Downsamplings << Downsamplings;

    /// <summary>Side of the feature maps at the bottom (4 for MNIST).</summary>
    public int BottomSize => PaddedSize >> Downsamplings;

    /// <summary>Channels at the bottom (128 for MNIST).</summary>
    public int BottomChannels => Channels << Downsamplings;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void AtLeast(int value, int min, string name)
        {
            if (value < min) throw new ArgumentException($"{name} must be at least {min} (got {value}).", name);
        }
        AtLeast(Latents, 1, nameof(Latents));
        AtLeast(Channels, 1, nameof(Channels));
        AtLeast(Downsamplings, 0, nameof(Downsamplings));
        AtLeast(BlocksPerStage, 0, nameof(BlocksPerStage));
        AtLeast(ImageSize, 1, nameof(ImageSize));
        if (Downsamplings > 8) throw new ArgumentException($"Downsamplings must be at most 8 (got {Downsamplings}).", nameof(Downsamplings));
    }
}
