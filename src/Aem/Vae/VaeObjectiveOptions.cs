using static Aem.Training.OptionChecks;

namespace Aem.Vae;

/// <summary>The VAE pre-training objective's own setting (paper eq. 12).</summary>
public sealed record VaeObjectiveOptions
{
    /// <summary>β, the weight of the KL term during pre-training (the paper: 0.9).</summary>
    public double Beta { get; init; } = 0.9;

    /// <summary>Throws <see cref="ArgumentException"/> if β is negative.</summary>
    public void Validate() => AtLeast(Beta, 0, nameof(Beta));
}
