using System.Globalization;
using Aem.Figures;

namespace Aem.Cli.Plotting;

/// <summary>
/// Draws <see cref="ConditionalSlices"/> like the paper's figure 4b: for each x1, the conditional
/// p(x2 | x1) of the AEM and of its proposal over a histogram of the data near that x1.
/// </summary>
internal static class ConditionalsPlot
{
    public static void Save(ConditionalSlices slices, string title, string path, AxisNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(slices);
        int count = slices.X1.Length;
        var canvas = SlicePanels.Canvas(count, title);
        var (x1, x2) = names ?? AxisNames.Default;
        for (int k = 0; k < count; k++)
        {
            var plot = PlotStyle.NewPlot();
            SlicePanels.AddDataHistogram(plot, slices.BinEdges, slices.DataDensity, k);
            SlicePanels.AddCurves(plot, slices.X2, slices.ProposalDensity, slices.Density, k,
                $"proposal q({x2} | {x1})", $"AEM p̂({x2} | {x1}), S = {slices.Samples:N0}");
            plot.Title(string.Create(CultureInfo.InvariantCulture, $"{x1} = {slices.X1[k]:0.###}  ({slices.DataCounts[k]:N0} data points within ±{slices.BandHalfWidth:0.###})"), 12);
            plot.XLabel(x2);
            if (SlicePanels.StartsRow(k)) plot.YLabel($"density of {x2} given {x1}");
            SlicePanels.Place(canvas, plot, k, slices.X2, SlicePanels.Top(k, slices.DataDensity, slices.Density, slices.ProposalDensity));
        }
        canvas.SavePng(path);
    }
}
