using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// The VAE's decoder, mirroring <see cref="ConvEncoder"/> (paper appendix B): a linear projection of the
/// latents reshaped to <c>[C·2^n, s, s]</c> (128 × 4 × 4 for MNIST), residual blocks and
/// <see cref="UpsamplingBlock"/>s back to the padded size, a 1×1 convolution to one channel, and a crop to
/// the image: pixel-wise Bernoulli logits. Maps <c>[N, L]</c> to <c>[N, 1, S, S]</c>.
/// </summary>
internal sealed class ConvDecoder : nn.Module<Tensor, Tensor>
{
    private readonly VaeOptions options;
    private readonly Linear input;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> stages;
    private readonly Conv2d output;

    public ConvDecoder(VaeOptions options, string name = "decoder") : base(name)
    {
        this.options = options;
        int bottom = options.BottomSize;
        input = nn.Linear(options.Latents, options.BottomChannels * bottom * bottom);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int channels = options.BottomChannels;
        for (int stage = 0; stage <= options.Downsamplings; stage++)
        {
            for (int b = 0; b < options.BlocksPerStage; b++) layers.Add(new ConvResidualBlock(channels));
            if (stage == options.Downsamplings) break;
            layers.Add(new UpsamplingBlock(channels, channels / 2));
            channels /= 2;
        }
        stages = new ModuleList<nn.Module<Tensor, Tensor>>(layers.ToArray());
        output = nn.Conv2d(options.Channels, 1, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        int bottom = options.BottomSize;
        var h = input.forward(z).view(-1, options.BottomChannels, bottom, bottom); // [N, C·2^n, s, s]
        foreach (var layer in stages) h = layer.forward(h);
        var logits = SafeConvolution.Forward(output, Scalars.Elu(h)); // [N, 1, P, P]
        int before = (options.PaddedSize - options.ImageSize) / 2;
        return logits.narrow(2, before, options.ImageSize).narrow(3, before, options.ImageSize)
            .contiguous().MoveToOuterDisposeScope();                              // [N, 1, S, S]
    }
}
