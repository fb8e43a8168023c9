namespace Aem.Vae;

/// <summary>Which learned prior to fit to the aggregate posterior.</summary>
public enum LatentPriorKind
{
    /// <summary>The ResMADE-MoG proposal alone: trained by maximum likelihood of log q only (α = 0 throughout).</summary>
    Proposal,

    /// <summary>A full AEM (proposal and energy network, paper eq. 10).</summary>
    Aem,
}
