using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// AEM-KDE as a prior (Table 2, "AEM-KDE"; paper §4.3, SPEC §1.7): per conditional
/// <c>p(z_d | z_&lt;d) = λ q_d(z_d) + (1 − λ) Σ_s w̄_s N(z_d; z^(s), h²)</c> with S proposal samples
/// <c>z^(s) ~ q_d</c> weighted by φ/q (<see cref="AemKde.Score"/>). Each point's samples are drawn from a
/// generator reset to the same seed, so the samples of conditional d are a fixed function of z_&lt;d alone:
/// every conditional integrates to one in z_d and log p(z) is an exactly normalised, deterministic
/// log-density, and the bounds under it are true bounds for that prior.
/// </summary>
internal sealed class AemKdePrior : ILatentPrior, IDisposable
{
    private readonly AutoregressiveEnergyMachine model;
    private readonly Generator generator;
    private readonly long seed;
    private readonly long maxRows;


    public AemKdePrior(
        AutoregressiveEnergyMachine model,
        double bandwidth,
        double proposalWeight,
        int samples = 1000,
        long seed = 1,
        long maxRows = EnergyRows.Default,
        string name = "AEM-KDE")
    {
        ArgumentNullException.ThrowIfNull(model);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one proposal sample.");
        if (!(bandwidth > 0) || double.IsInfinity(bandwidth)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The bandwidth must be positive and finite.");
        if (!(proposalWeight >= 0 && proposalWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(proposalWeight), proposalWeight, "The proposal weight must lie in [0, 1].");
        this.model = model;
        this.seed = seed;
        this.maxRows = maxRows;
        Bandwidth = bandwidth;
        ProposalWeight = proposalWeight;
        Samples = samples;
        Name = name;
        generator = new Generator((ulong)seed, model.parameters().First().device);
    }

    public string Name { get; }

    /// <summary>h, the kernel bandwidth.</summary>
    public double Bandwidth { get; }

    /// <summary>λ, the proposal's weight in each conditional.</summary>
    public double ProposalWeight { get; }

    /// <summary>S, proposal samples per conditional.</summary>
    public int Samples { get; }

    public int Features => model.Options.Features;

    public bool IsExact => true;

    public Tensor LogProb(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var parameter = model.parameters().First();
        long n = z.shape[0];
        if (n == 0) return zeros([0], z.dtype, z.device);
        var parts = new List<Tensor>();
        try
        {
            for (long i = 0; i < n; i++)
            {
                // One point per call: a batch would hand each point different noise depending on its position.
                generator.manual_seed(seed);
                using var input = z.narrow(0, i, 1).detach().to(parameter.dtype, parameter.device); // [1, L]
                using (var scores = AemKde.Score(model, input, Samples, [Bandwidth], [ProposalWeight], generator, maxRows))
                {
                    parts.Add(scores.LogKde.reshape(1).to(z.dtype, z.device, copy: true).DetachFromDisposeScope()); // [1]
                }
            }
            return cat(parts, 0);                                                    // [N]
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    public void Dispose() => generator.Dispose();
}
