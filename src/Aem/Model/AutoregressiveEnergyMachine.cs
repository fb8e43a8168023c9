using Aem.Distributions;
using Aem.Nn;
using static TorchSharp.torch;

namespace Aem.Model;

/// <summary>
/// An Autoregressive Energy Machine (Nash &amp; Durkan, ICML 2019):
/// <c>p(x) = Π_d φ(x_d; γ_d) / Z_d</c>. A <see cref="Nn.ResMade"/> reads x once and gives, for every
/// dimension d, a context γ_d and the parameters of a proposal q_d; a shared <see cref="Nn.EnergyNet"/>
/// gives <c>log φ</c>; each Z_d is estimated by importance sampling from q_d (paper eqs. 8–9).
/// </summary>
/// <example>
/// <code>
/// var model = new AutoregressiveEnergyMachine(new AemOptions { Features = 2, Components = 10 });
/// using var output = model.Forward(x, samples: 20);   // output.LogDensity: [B]
/// </code>
/// </example>
public sealed class AutoregressiveEnergyMachine : nn.Module
{
    private readonly ResMade resmade;
    private readonly EnergyNet energy_net;

    /// <summary>
    /// Builds the ResMADE and the energy network for <paramref name="options"/> with PyTorch's default
    /// initialisation (the last layer of every residual block at zero), float32 on the CPU and in training
    /// mode; move it with <c>to(device)</c>. Build it outside a dispose scope: the scope would dispose its
    /// parameters.
    /// </summary>
    /// <param name="options">The architecture; validated here.</param>
    /// <param name="name">The module's name (TorchSharp).</param>
    /// <exception cref="ArgumentException">An option is invalid (<see cref="AemOptions.Validate"/>).</exception>
    public AutoregressiveEnergyMachine(AemOptions options, string name = "aem") : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        resmade = new ResMade(
            options.Features,
            options.HiddenFeatures,
            options.OutputsPerFeature,
            options.ResMadeBlocks,
            options.Dropout,
            Activation.Relu);
        energy_net = new EnergyNet(
            options.ContextFeatures,
            options.EnergyHiddenFeatures,
            options.EnergyBlocks,
            options.Dropout,
            options.EnergyActivation);
        RegisterComponents();
    }

    /// <summary>The architecture the model was built with.</summary>
    public AemOptions Options { get; }

    internal ResMade ResMade => resmade;

    internal EnergyNet EnergyNet => energy_net;

    /// <summary>
    /// Runs the ResMADE on <paramref name="x"/> <c>[B, D]</c> and splits its output into contexts
    /// <c>[B, D, K]</c> and the proposal of every conditional.
    /// </summary>
    internal Conditionals Conditionals(Tensor x)
    {
        CheckInput(x);
        return SplitOutputs(resmade.forward(x));
    }

    /// <summary>Splits raw ResMADE outputs <c>[B, D, P]</c> into contexts and proposals.</summary>
    internal Conditionals SplitOutputs(Tensor outputs)
    {
        int k = Options.ContextFeatures;
        var context = outputs.narrow(-1, 0, k);                                   // [B, D, K]
        IProposal proposal;
        if (Options.Proposal == ProposalKind.MixtureOfGaussians)
        {
            int m = Options.Components;
            proposal = new MixtureOfGaussians(
                outputs.narrow(-1, k, m),                                         // logits [B, D, M]
                outputs.narrow(-1, k + m, m),                                     // means
                outputs.narrow(-1, k + (2 * m), m),                               // raw scales
                Options.MinScale);
        }
        else
        {
            proposal = new UniformProposal(Options.UniformLow, Options.UniformHigh, outputs.shape[..^1], outputs.dtype, outputs.device);
        }
        return new Conditionals(context, proposal);
    }

    /// <summary>log q(x) <c>[B]</c> alone (no energy network): the warm-up objective, and the proposal's score.</summary>
    /// <param name="x">Points <c>[B, D]</c> in the model's units, on the model's device and dtype.</param>
    /// <returns>Σ_d log q_d(x_d | x_&lt;d) per point, nats, <c>[B]</c>; gradients flow to the ResMADE.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not <c>[B, D]</c>.</exception>
    public Tensor LogProposal(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var conditionals = Conditionals(x);
        return conditionals.Proposal.LogProb(x.unsqueeze(-1)).squeeze(-1).sum(-1).MoveToOuterDisposeScope(); // [B]
    }

    /// <summary>
    /// One pass of eq. 9 with <paramref name="samples"/> importance samples per conditional, the data
    /// value and the samples of every (b, d) batched into one energy-network call. Gradients flow to
    /// both networks; none reach the proposal through log Ẑ. For large S use
    /// <see cref="Evaluation.LogLikelihoodEstimator"/>, which works in bounded memory.
    /// </summary>
    /// <param name="x">Points <c>[B, D]</c> in the model's units, on the model's device and dtype.</param>
    /// <param name="samples">S, importance samples per conditional (the paper trains with 20).</param>
    /// <param name="generator">Source of the proposal samples; null uses libtorch's default generator.</param>
    /// <returns>The result's tensors (nats, shapes as in <see cref="AemOutput"/>); the caller disposes them.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not <c>[B, D]</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is below 1.</exception>
    public AemOutput Forward(Tensor x, int samples, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        using var scope = NewDisposeScope();
        var (context, proposal) = Conditionals(x);
        var logProposalData = proposal.LogProb(x.unsqueeze(-1)).squeeze(-1);      // [B, D]
        var proposalSamples = proposal.Sample(samples, generator);                // [B, D, S], no gradient
        var logProposalSamples = proposal.LogProb(proposalSamples);               // [B, D, S]
        var values = cat([x.unsqueeze(-1), proposalSamples], -1);                 // [B, D, 1+S]
        var logEnergy = energy_net.forward(values, context);                      // [B, D, 1+S]
        var logEnergyData = ProposalSupport.Restrict(logEnergy.narrow(-1, 0, 1).squeeze(-1), logProposalData); // [B, D]
        var logZ = LogNormalizer.Estimate(logEnergy.narrow(-1, 1, samples), logProposalSamples);
        var logDensity = (logEnergyData - logZ).sum(-1);                          // [B]
        // Until MoveToOuterDisposeScope hands them to the caller, the output's tensors belong to the
        // scope above, which disposes them if anything fails; AemOutput itself holds nothing else.
#pragma warning disable CA2000
        return new AemOutput(logDensity, logProposalData.sum(-1), logEnergyData, logZ, logProposalData)
            .MoveToOuterDisposeScope();
#pragma warning restore CA2000
    }

    private void CheckInput(Tensor x)
    {
        if (x.dim() != 2 || x.shape[1] != Options.Features)
        {
            throw new ArgumentException(
                $"Expected data of shape [B, {Options.Features}], got [{string.Join(", ", x.shape)}].", nameof(x));
        }
    }
}
