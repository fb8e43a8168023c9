using Aem.Evaluation;

namespace Aem.Vae;

/// <summary>
/// Per-observation bounds under one prior (a row of the paper's Table 2), in nats.
/// </summary>
/// <param name="Prior">The prior's name.</param>
/// <param name="PriorIsExact">False when log p(z) was itself an estimate (the AEM), so the bounds are estimates too.</param>
/// <param name="Elbo">ELBO estimates <c>(1/K) Σ_k log w_k</c>, one per observation.</param>
/// <param name="LogLikelihood">Importance-weighted bounds <c>log (1/K) Σ_k w_k</c> (Burda et al., 2016), one per observation.</param>
public sealed record BoundEstimates(string Prior, bool PriorIsExact, double[] Elbo, double[] LogLikelihood)
{
    /// <summary>The mean ELBO per observation ± 2 standard errors (nats).</summary>
    public MeanWithError ElboSummary => MeanWithError.Of(Elbo);

    /// <summary>The mean importance-weighted bound on log p(x) per observation ± 2 standard errors (nats): the paper's Table 2 entry.</summary>
    public MeanWithError LogLikelihoodSummary => MeanWithError.Of(LogLikelihood);
}
