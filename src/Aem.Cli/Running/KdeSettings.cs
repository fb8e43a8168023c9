namespace Aem.Cli.Running;

/// <summary>What <c>aem evaluate --kde</c> asks for: validation points and S for choosing h and λ (null S: the scoring S).</summary>
/// <param name="ValidationPoints">Size of the seeded validation subset.</param>
/// <param name="Samples">Importance samples per conditional in the search, or null for the scoring S.</param>
internal sealed record KdeSettings(long ValidationPoints, int? Samples);
