using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Nn;

/// <summary>
/// ResMADE (Nash &amp; Durkan, 2019, §3.4 and appendix A): a MADE with pre-activation residual blocks.
/// Maps <c>x [B, D]</c> to <c>[B, D, P]</c> where the outputs of dimension d depend on <c>x_&lt;d</c> only.
/// Layers: masked D→H, <c>blocks</c> masked residual blocks, activation, masked H→D·P.
/// </summary>
internal sealed class ResMade : nn.Module<Tensor, Tensor>
{
    private readonly MaskedLinear initial;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly MaskedLinear final;
    private readonly Activation activation;

    public ResMade(
        int features,
        int hiddenFeatures,
        int outputsPerFeature,
        int blocks = 4,
        double dropoutProbability = 0.0,
        Activation activation = Activation.Relu,
        string name = "resmade") : base(name)
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "Need at least one feature.");
        if (hiddenFeatures < 1) throw new ArgumentOutOfRangeException(nameof(hiddenFeatures), hiddenFeatures, "Need at least one hidden unit.");
        if (outputsPerFeature < 1) throw new ArgumentOutOfRangeException(nameof(outputsPerFeature), outputsPerFeature, "Need at least one output per feature.");
        Features = features;
        OutputsPerFeature = outputsPerFeature;
        this.activation = activation;

        var inputDegrees = MadeDegrees.Inputs(features);
        var hiddenDegrees = MadeDegrees.Hidden(features, hiddenFeatures);
        var outputDegrees = MadeDegrees.Outputs(features, outputsPerFeature);
        using var hiddenMask = MadeDegrees.Mask(hiddenDegrees, hiddenDegrees, strict: false);
        using var inputMask = MadeDegrees.Mask(inputDegrees, hiddenDegrees, strict: false);
        using var outputMask = MadeDegrees.Mask(hiddenDegrees, outputDegrees, strict: true);

        initial = new MaskedLinear(inputMask);
        this.blocks = new ModuleList<ResidualBlock>(
            Enumerable.Range(0, blocks).Select(_ => ResidualBlock.Masked(hiddenMask, activation, dropoutProbability)).ToArray());
        final = new MaskedLinear(outputMask);
        RegisterComponents();
    }

    public int Features { get; }

    public int OutputsPerFeature { get; }

    /// <summary>The masks along the main path from input to output, in order (for connectivity checks).</summary>
    public IEnumerable<Tensor> Masks()
    {
        yield return initial.Mask;
        foreach (var block in blocks)
        {
            yield return ((MaskedLinear)block.First).Mask;
            yield return ((MaskedLinear)block.Second).Mask;
        }
        yield return final.Mask;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = initial.forward(input);
        foreach (var block in blocks) h = block.forward(h);
        // With no blocks h is the initial layer's output, still fresh: in place is safe either way.
        var output = final.forward(activation.ApplyInPlace(h));
        return output.view(input.shape[0], Features, OutputsPerFeature) // [B, D, P]
            .MoveToOuterDisposeScope();
    }
}
