using Aem.Distributions;
using Aem.Nn;
using Aem.Runtime;
using static TorchSharp.torch;

namespace Aem.Model;

/// <summary>
/// An Autoregressive Energy Machine (Nash &amp; Durkan, ICML 2019):
/// <c>p(x) = Π_d φ(x_d; γ_d) / Z_d</c>. A <see cref="Nn.ResMade"/> reads x once and gives, for every
/// dimension d, a context γ_d and the parameters of a proposal q_d; a shared <see cref="Nn.EnergyNet"/>
/// gives <c>log φ</c>; each Z_d is estimated by importance sampling from q_d (paper eqs. 8–9).
/// </summary>
/// <remarks>
/// A conditional model (<see cref="AemOptions.ConditioningFeatures"/> C &gt; 0) is a density p(x | c):
/// the context c <c>[B, C]</c> enters the ResMADE beside x (<see cref="Nn.ResMade"/>), so every γ_d and
/// every q_d depend on x_&lt;d and c, and the energy network sees c through γ_d. The methods here take x
/// and c apart; the scoring, training and sampling paths take rows <c>[x | c]</c> (<see cref="SplitRows"/>).
/// </remarks>
/// <example>
/// <code>
/// var model = new AutoregressiveEnergyMachine(new AemOptions { Features = 2, Components = 10 });
/// using var output = model.Forward(x, samples: 20);   // output.LogDensity: [B]
/// var conditional = new AutoregressiveEnergyMachine(new AemOptions { Features = 2, ConditioningFeatures = 1 });
/// using var given = conditional.Forward(x, samples: 20, context: c);   // log p̂(x | c): [B]
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
            Activation.Relu,
            options.ConditioningFeatures);
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
    /// Runs the ResMADE on <paramref name="x"/> <c>[B, D]</c> (given <paramref name="context"/> <c>[B, C]</c> for
    /// a conditional model) and splits its output into the vectors γ <c>[B, D, K]</c> and the proposal of
    /// every conditional.
    /// </summary>
    internal Conditionals Conditionals(Tensor x, Tensor? context = null)
    {
        CheckInput(x, context);
        if (context is null) return SplitOutputs(resmade.forward(x));
        Tensor outputs;
        using (var scope = NewDisposeScope())
        {
            outputs = resmade.forward(JoinRows(x, context)).MoveToOuterDisposeScope();
        }
        return SplitOutputs(outputs);
    }

    /// <summary>
    /// Splits rows <c>[B, D + C]</c> into x <c>[B, D]</c> and the context <c>[B, C]</c> (null for a model
    /// without one), as views of the rows.
    /// </summary>
    internal (Tensor X, Tensor? Context) SplitRows(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int d = Options.Features, c = Options.ConditioningFeatures;
        if (rows.dim() != 2 || rows.shape[1] != d + c)
        {
            throw new ArgumentException(
                $"Expected rows of shape [B, {d + c}]{(c > 0 ? $" ({d} data values, then {Plural.Of(c, "context value")})" : "")}, got [{string.Join(", ", rows.shape)}].", nameof(rows));
        }
        return c == 0 ? (rows, null) : (rows.narrow(1, 0, d), rows.narrow(1, d, c));
    }

    /// <summary>Rows <c>[x | c]</c> <c>[B, D + C]</c> as the ResMADE reads them (x itself when there is no context).</summary>
    internal Tensor JoinRows(Tensor x, Tensor? context)
    {
        CheckInput(x, context);
        return context is null ? x : cat([x, context], 1);
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

    /// <summary>log q(x) <c>[B]</c> (log q(x | c) given <paramref name="context"/>) alone, without the energy network: the warm-up objective, and the proposal's score.</summary>
    /// <param name="x">Points <c>[B, D]</c> in the model's units, on the model's device and dtype.</param>
    /// <param name="context">The points' contexts <c>[B, C]</c> for a conditional model; null otherwise.</param>
    /// <returns>Σ_d log q_d(x_d | x_&lt;d) per point, nats, <c>[B]</c>; gradients flow to the ResMADE.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not <c>[B, D]</c>.</exception>
    public Tensor LogProposal(Tensor x, Tensor? context = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var conditionals = Conditionals(x, context);
        return conditionals.Proposal.LogProb(x.unsqueeze(-1)).squeeze(-1).sum(-1).MoveToOuterDisposeScope(); // [B]
    }

    /// <summary>
    /// One pass of eq. 9 with <paramref name="samples"/> importance samples per conditional, the data
    /// value and the samples of every (b, d) batched into one energy-network call. Gradients flow to
    /// both networks; none reach the proposal through log Ẑ. For large S use
    /// <see cref="Evaluation.LogLikelihoodEstimator"/>, which works in bounded memory. A conditional model
    /// needs <paramref name="context"/> <c>[B, C]</c> and gives log p̂(x | c).
    /// </summary>
    /// <param name="x">Points <c>[B, D]</c> in the model's units, on the model's device and dtype.</param>
    /// <param name="samples">S, importance samples per conditional (the paper trains with 20).</param>
    /// <param name="generator">Source of the proposal samples; null uses libtorch's default generator.</param>
    /// <param name="estimator">How the samples are placed (default: independent draws, the paper's).</param>
    /// <param name="context">The points' contexts <c>[B, C]</c> for a conditional model; null otherwise.</param>
    /// <returns>The result's tensors (nats, shapes as in <see cref="AemOutput"/>); the caller disposes them.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not <c>[B, D]</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is below 1.</exception>
    public AemOutput Forward(Tensor x, int samples, Generator? generator = null, NormalizerEstimator estimator = NormalizerEstimator.Iid, Tensor? context = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        using var scope = NewDisposeScope();
        var (gamma, proposal) = Conditionals(x, context);
        var logProposalData = proposal.LogProb(x.unsqueeze(-1)).squeeze(-1);      // [B, D]
        using var placement = new NormalizerSamples(proposal, x.shape, x.device, estimator, samples, generator);
        var proposalSamples = placement.Next(samples);                            // [B, D, S], no gradient
        var logProposalSamples = proposal.LogProb(proposalSamples);               // [B, D, S]
        var values = cat([x.unsqueeze(-1), proposalSamples], -1);                 // [B, D, 1+S]
        var logEnergy = energy_net.forward(values, gamma);                        // [B, D, 1+S]
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

    private void CheckInput(Tensor x, Tensor? context)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != Options.Features)
        {
            throw new ArgumentException(
                $"Expected data of shape [B, {Options.Features}], got [{string.Join(", ", x.shape)}].", nameof(x));
        }
        int c = Options.ConditioningFeatures;
        if (c == 0)
        {
            if (context is not null) throw new ArgumentException("This model has no context (it models p(x)), but a context was given.", nameof(context));
            return;
        }
        if (context is null) throw new ArgumentException($"This model is conditioned on {Plural.Of(c, "context value")} per row: pass the context [B, {c}].", nameof(context));
        if (context.dim() != 2 || context.shape[1] != c || context.shape[0] != x.shape[0])
        {
            throw new ArgumentException(
                $"Expected a context of shape [{x.shape[0]}, {c}], got [{string.Join(", ", context.shape)}].", nameof(context));
        }
    }
}
