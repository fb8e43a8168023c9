using Aem.Figures;
using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>
/// Draws a <see cref="DensityFigure"/> like one row of the paper's figure 4a: data, proposal density,
/// proposal samples, AEM density, AEM samples, on one colour scale with a colour bar.
/// </summary>
internal static class DensityFigurePlot
{
    private const int Panel = 330;
    private const int Right = 12, Top = 34, Bottom = 44;
    private const int ColourBar = 110;
    private const int Heading = 44;

    public static void Save(DensityFigure figure, string title, string path, AxisNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var region = figure.Region;
        var aem = figure.Grid.Density();
        var proposal = figure.Grid.ProposalDensity();
        var panels = new (string Title, double[,] Values)[]
        {
            ("Data", figure.Data.Density),
            ("Proposal density", proposal),
            ("Proposal samples", figure.ProposalSamples.Density),
            ($"AEM density (S = {figure.Grid.Samples:N0})", aem),
            ("AEM samples", figure.AemSamples.Density),
        };
        // One scale for all panels so that they can be compared; the 99th percentile rather than the
        // maximum keeps a few noisy histogram cells from washing out the rest.
        double max = panels.Max(p => PlotStyle.Quantile(p.Values, 0.99));
        if (!(max > 0)) max = 1;

        int left = LeftMargin(region);
        int cell = left + Panel + Right;
        var canvas = new PanelCanvas((cell * panels.Length) + ColourBar, Heading + Top + Panel + Bottom);
        canvas.Heading(title, 28);
        for (int k = 0; k < panels.Length; k++)
        {
            var plot = PlotStyle.NewPlot();
            var heatmap = PlotStyle.Heatmap(plot, panels[k].Values, region.X1Min, region.X1Max, region.X2Min, region.X2Max, max);
            plot.Title(panels[k].Title);
            plot.XLabel((names ?? AxisNames.Default).First);
            if (k == 0) plot.YLabel((names ?? AxisNames.Default).Second);
            bool last = k == panels.Length - 1;
            if (last)
            {
                var bar = plot.Add.ColorBar(heatmap);
                bar.Label = "density";
                bar.LabelStyle.FontSize = 13;
            }
            plot.Layout.Fixed(new PixelPadding(left, last ? Right + ColourBar : Right, Bottom, Top));
            canvas.Add(plot, k * cell, Heading, cell + (last ? ColourBar : 0), Top + Panel + Bottom);
        }
        canvas.SavePng(path);
    }

    /// <summary>
    /// Room left of each panel for the y label and tick labels: a fixed margin cut the label off when the
    /// ticks are wide (an image's pixel coordinates, "1,700"). About 7 pixels per character at the tick font.
    /// </summary>
    private static int LeftMargin(PlotRegion region)
    {
        static int Width(double v) => Math.Round(v).ToString("N0", System.Globalization.CultureInfo.InvariantCulture).Length;
        int characters = Math.Max(Width(region.X2Min), Width(region.X2Max));
        return 36 + (7 * Math.Max(2, characters));
    }
}
