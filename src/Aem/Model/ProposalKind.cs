namespace Aem.Model;

/// <summary>Which proposal family each conditional uses.</summary>
public enum ProposalKind
{
    /// <summary>A mixture of Gaussians whose parameters the ResMADE outputs (all tasks but checkerboard).</summary>
    MixtureOfGaussians,

    /// <summary>A fixed uniform distribution on [low, high] (the checkerboard task); the ResMADE outputs only contexts.</summary>
    Uniform,
}
