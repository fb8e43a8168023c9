using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Vae;

/// <summary>
/// The VAE's encoder (paper appendix B): zero-pad to <see cref="VaeOptions.PaddedSize"/>, a 1×1
/// projection to C channels, then per stage <see cref="VaeOptions.BlocksPerStage"/> residual blocks and a
/// <see cref="DownsamplingBlock"/> (C → 2C), residual blocks at the bottom, and a linear map of the
/// flattened features to the means and log-variances of L latents. Maps <c>[B, 1, S, S]</c> to <c>[B, 2L]</c>.
/// </summary>
internal sealed class ConvEncoder : nn.Module<Tensor, Tensor>
{
    private readonly VaeOptions options;
    private readonly Conv2d input;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> stages;
    private readonly Linear output;

    public ConvEncoder(VaeOptions options, string name = "encoder") : base(name)
    {
        this.options = options;
        input = nn.Conv2d(1, options.Channels, 1);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int channels = options.Channels;
        for (int stage = 0; stage <= options.Downsamplings; stage++)
        {
            for (int b = 0; b < options.BlocksPerStage; b++) layers.Add(new ConvResidualBlock(channels));
            if (stage == options.Downsamplings) break;
            layers.Add(new DownsamplingBlock(channels, 2 * channels));
            channels *= 2;
        }
        stages = new ModuleList<nn.Module<Tensor, Tensor>>(layers.ToArray());
        int bottom = options.BottomSize;
        output = nn.Linear(options.BottomChannels * bottom * bottom, 2 * options.Latents);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        int margin = options.PaddedSize - options.ImageSize;
        int before = margin / 2;
        var h = SafeConvolution.Forward(input, F.pad(x, [before, margin - before, before, margin - before])); // [B, C, P, P]
        foreach (var layer in stages) h = layer.forward(h);
        h = Scalars.Elu(h).flatten(1);                                                 // [B, C·2^n · s · s]
        return output.forward(h).MoveToOuterDisposeScope();                       // [B, 2L]
    }
}
