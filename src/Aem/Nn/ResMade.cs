using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Nn;

/// <summary>
/// ResMADE (Nash &amp; Durkan, 2019, §3.4 and appendix A): a MADE with pre-activation residual blocks.
/// Maps <c>x [B, D]</c> to <c>[B, D, P]</c> where the outputs of dimension d depend on <c>x_&lt;d</c> only.
/// Layers: masked D→H, <c>blocks</c> masked residual blocks, activation, masked H→D·P.
/// </summary>
/// <remarks>
/// With a context of <c>C</c> values (<see cref="ConditioningFeatures"/> &gt; 0) the input rows are
/// <c>[x | c]</c>, <c>[B, D + C]</c>, and the first layer is (D + C)→H: its context columns are unmasked
/// (the MADE convention for conditioning: the context has degree 0), so the context reaches every hidden
/// unit and every output, while the order over x is unchanged. The hidden degrees then run from 0 (see
/// <see cref="MadeDegrees.Hidden"/>) so that dimension 1's outputs depend on c too. Without a context the
/// network is exactly the paper's.
/// </remarks>
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
        int conditioningFeatures = 0,
        string name = "resmade") : base(name)
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "Need at least one feature.");
        if (hiddenFeatures < 1) throw new ArgumentOutOfRangeException(nameof(hiddenFeatures), hiddenFeatures, "Need at least one hidden unit.");
        if (outputsPerFeature < 1) throw new ArgumentOutOfRangeException(nameof(outputsPerFeature), outputsPerFeature, "Need at least one output per feature.");
        if (conditioningFeatures < 0) throw new ArgumentOutOfRangeException(nameof(conditioningFeatures), conditioningFeatures, "The context cannot have a negative width.");
        Features = features;
        ConditioningFeatures = conditioningFeatures;
        OutputsPerFeature = outputsPerFeature;
        this.activation = activation;

        bool conditional = conditioningFeatures > 0;
        var inputDegrees = MadeDegrees.Inputs(features, conditioningFeatures);
        var hiddenDegrees = MadeDegrees.Hidden(features, hiddenFeatures, conditional);
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

    /// <summary>C, the context values at the end of each input row (0: no context).</summary>
    public int ConditioningFeatures { get; }

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

    /// <summary>Maps rows <c>[B, D + C]</c> (x, then its context; <c>[B, D]</c> without one) to outputs <c>[B, D, P]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != Features + ConditioningFeatures)
        {
            throw new ArgumentException(
                $"Expected rows of shape [B, {Features + ConditioningFeatures}]" +
                (ConditioningFeatures > 0 ? $" (x, then {Plural.Of(ConditioningFeatures, "context value")})" : "") +
                $", got [{string.Join(", ", input.shape)}].", nameof(input));
        }
        using var scope = NewDisposeScope();
        var h = initial.forward(input);
        foreach (var block in blocks) h = block.forward(h);
        // With no blocks h is the initial layer's output, still fresh: in place is safe either way.
        var output = final.forward(activation.ApplyInPlace(h));
        return output.view(input.shape[0], Features, OutputsPerFeature) // [B, D, P]
            .MoveToOuterDisposeScope();
    }
}
