namespace Aem.Model;

/// <summary>Which proposal family each conditional uses.</summary>
public enum ProposalKind
{
    /// <summary>A mixture of Gaussians whose parameters the ResMADE outputs (all tasks but checkerboard).</summary>
    MixtureOfGaussians,

    /// <summary>
    /// A fixed uniform distribution on [low, high] (the checkerboard task); the ResMADE outputs only contexts.
    /// The AEM's density is zero wherever the proposal's is: training refuses data outside [low, high], and
    /// evaluation and scoring give such points a log-likelihood of −∞.
    /// </summary>
    Uniform,
}
