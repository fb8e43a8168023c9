using Aem.Nn;

namespace Aem.Model;

/// <summary>
/// The architecture of an <see cref="AutoregressiveEnergyMachine"/>. Defaults are the paper's shared
/// settings (appendix B): K = 64, E = 128, four residual blocks in both networks, minimum scale 1e-3.
/// </summary>
public sealed record AemOptions
{
    /// <summary>D, the number of data dimensions.</summary>
    public required int Features { get; init; }

    /// <summary>
    /// C, the number of context values c the density is conditioned on, p(x | c) (0: an unconditional
    /// p(x), the paper's model). Not to be confused with <see cref="ContextFeatures"/>, the width K of the
    /// vectors γ_d the ResMADE hands the energy network.
    /// </summary>
    // Left out of run.json when 0, so that a model without a context is recorded as before.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int ConditioningFeatures { get; init; }

    /// <summary>H, the ResMADE width.</summary>
    public int HiddenFeatures { get; init; } = 256;

    /// <summary>K, the width of each context vector γ_d.</summary>
    public int ContextFeatures { get; init; } = 64;

    /// <summary>E, the energy network's width.</summary>
    public int EnergyHiddenFeatures { get; init; } = 128;

    /// <summary>Residual blocks in the ResMADE (0 allowed: input and output layers only).</summary>
    public int ResMadeBlocks { get; init; } = 4;

    /// <summary>Residual blocks in the energy network (0 allowed).</summary>
    public int EnergyBlocks { get; init; } = 4;

    /// <summary>M, mixture components per conditional (ignored for a uniform proposal).</summary>
    public int Components { get; init; } = 10;

    /// <summary>The proposal family q_d: a mixture of Gaussians (the paper's default) or a fixed uniform (checkerboard).</summary>
    public ProposalKind Proposal { get; init; } = ProposalKind.MixtureOfGaussians;

    /// <summary>Lower end a of the uniform proposal U(a, b), in the model's units; the model is defined only on [a, b].</summary>
    public double UniformLow { get; init; } = -4.0;

    /// <summary>Upper end b of the uniform proposal U(a, b), in the model's units (above <see cref="UniformLow"/>).</summary>
    public double UniformHigh { get; init; } = 4.0;

    /// <summary>Dropout probability in both networks' residual blocks (training only).</summary>
    public double Dropout { get; init; }

    /// <summary>The energy network's non-linearity (the ResMADE always uses ReLU).</summary>
    public Activation EnergyActivation { get; init; } = Activation.Relu;

    /// <summary>Floor of every mixture component's standard deviation, <c>σ = MinScale + softplus(raw)</c>, in the model's units.</summary>
    public double MinScale { get; init; } = 1e-3;

    /// <summary>Values per row of the data the model trains on and scores: x, then its context (D + C).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int RowFeatures => Features + ConditioningFeatures;

    /// <summary>P, the ResMADE outputs per dimension: K + 3M, or K for a uniform proposal.</summary>
    public int OutputsPerFeature => ContextFeatures + (Proposal == ProposalKind.MixtureOfGaussians ? 3 * Components : 0);

    /// <summary>The settings in a line, e.g. "H = 256, E = 128, K = 64, M = 10 mixture components, dropout 0.1".</summary>
    public string Describe() =>
        FormattableString.Invariant($"H = {HiddenFeatures}, E = {EnergyHiddenFeatures}, K = {ContextFeatures}, ") +
        (Proposal == ProposalKind.Uniform ? FormattableString.Invariant($"uniform proposal U({UniformLow:0.##}, {UniformHigh:0.##})") : $"M = {Components} mixture components") +
        (Dropout > 0 ? FormattableString.Invariant($", dropout {Dropout:0.##}") : "") +
        (ConditioningFeatures > 0 ? FormattableString.Invariant($", conditioned on {ConditioningFeatures} context value{(ConditioningFeatures == 1 ? "" : "s")}") : "");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value < 1) throw new ArgumentException($"{name} must be at least 1 (got {value}).", name);
        }
        Positive(Features, nameof(Features));
        if (ConditioningFeatures < 0) throw new ArgumentException($"ConditioningFeatures must be ≥ 0 (got {ConditioningFeatures}).", nameof(ConditioningFeatures));
        Positive(HiddenFeatures, nameof(HiddenFeatures));
        Positive(ContextFeatures, nameof(ContextFeatures));
        Positive(EnergyHiddenFeatures, nameof(EnergyHiddenFeatures));
        if (ResMadeBlocks < 0) throw new ArgumentException($"ResMadeBlocks must be ≥ 0 (got {ResMadeBlocks}).", nameof(ResMadeBlocks));
        if (EnergyBlocks < 0) throw new ArgumentException($"EnergyBlocks must be ≥ 0 (got {EnergyBlocks}).", nameof(EnergyBlocks));
        if (Proposal == ProposalKind.MixtureOfGaussians) Positive(Components, nameof(Components));
        if (!(UniformHigh > UniformLow)) throw new ArgumentException($"UniformHigh ({UniformHigh}) must exceed UniformLow ({UniformLow}).", nameof(UniformHigh));
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"Dropout must be in [0, 1) (got {Dropout}).", nameof(Dropout));
        if (!(MinScale > 0)) throw new ArgumentException($"MinScale must be positive (got {MinScale}).", nameof(MinScale));
    }
}
