namespace Aem.Cli.Plotting;

/// <summary>How the 2-D figures are computed; defaults keep <c>aem plot</c> to well under a minute on a laptop CPU.</summary>
/// <param name="Samples">S per normaliser for the density panels (the paper: 1,000).</param>
/// <param name="Points">Points per histogram: data, proposal samples and AEM samples.</param>
/// <param name="Grid">Grid values per axis for the density panels.</param>
/// <param name="Slices">x1 values in the conditionals figure.</param>
/// <param name="ProposalSamples">Proposal samples per dimension behind each AEM sample (the paper: 100).</param>
/// <param name="Seed">Seeds every random draw of the figures.</param>
internal sealed record FigureSettings(int Samples = 1000, long Points = 100_000, int Grid = 200, int Slices = 6, int ProposalSamples = 100, long Seed = 1);
