using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// An AEM as a prior: <c>log p̂(z) = Σ_d (log φ(z_d; γ_d) − log Ẑ_d)</c> with S
/// importance samples per conditional (paper eq. 9; Table 2 uses 1,000). An estimate, not a bound:
/// log Ẑ is biased low, so log p̂ is biased high, less so as S grows (SPEC §1.7).
/// </summary>
internal sealed class AemPrior : ILatentPrior, IDisposable
{
    private readonly AutoregressiveEnergyMachine model;
    private readonly Generator generator;
    private readonly long maxRows;

    public AemPrior(AutoregressiveEnergyMachine model, int samples = 1000, long seed = 1, long maxRows = EnergyRows.Default, string name = "AEM")
    {
        ArgumentNullException.ThrowIfNull(model);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        this.model = model;
        this.maxRows = maxRows;
        Samples = samples;
        Name = name;
        generator = new Generator((ulong)seed, model.parameters().First().device);
    }

    public string Name { get; }

    /// <summary>S, importance samples per conditional.</summary>
    public int Samples { get; }

    public int Features => model.Options.Features;

    public bool IsExact => false;

    public Tensor LogProb(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var parameter = model.parameters().First();
        // The estimator batches points, chunks samples and trims the native heap between them,
        // so memory stays bounded whatever n is.
        using var input = z.detach().to(parameter.dtype, parameter.device);
        using var output = LogLikelihoodEstimator.Estimate(model, input, Samples, generator, maxRows);
        return output.LogDensity.to(z.dtype, z.device, copy: true).DetachFromDisposeScope(); // [N]
    }

    public void Dispose() => generator.Dispose();
}
