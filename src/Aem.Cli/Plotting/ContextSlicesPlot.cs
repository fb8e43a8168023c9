using System.Globalization;
using Aem.Figures;
using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>
/// Draws <see cref="ContextSlices"/>: for each context c, the first conditional p(x1 | c) of the AEM and of
/// its proposal, the true density when it is known, and a histogram of the data whose context is near c.
/// </summary>
internal static class ContextSlicesPlot
{
    /// <param name="slices">The curves.</param>
    /// <param name="truth">The true density <c>[K, G]</c> on the same grid, or null.</param>
    /// <param name="title">The figure's heading.</param>
    /// <param name="path">The PNG to write.</param>
    /// <param name="x1">What x1 is called.</param>
    /// <param name="contextNames">What the context's values are called.</param>
    public static void Save(ContextSlices slices, double[,]? truth, string title, string path, string x1, IReadOnlyList<string> contextNames)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(contextNames);
        int count = slices.Contexts.Length;
        var canvas = SlicePanels.Canvas(count, title);
        string c = contextNames.Count == 1 ? contextNames[0] : "c";
        for (int k = 0; k < count; k++)
        {
            var plot = PlotStyle.NewPlot();
            if (slices.DataCounts[k] > 0) SlicePanels.AddDataHistogram(plot, slices.BinEdges, slices.DataDensity, k);
            SlicePanels.AddCurves(plot, slices.X1, slices.ProposalDensity, slices.Density, k,
                $"proposal q({x1} | {c})", $"AEM p̂({x1} | {c}), S = {slices.Samples:N0}");
            double top = SlicePanels.Top(k, slices.DataDensity, slices.Density, slices.ProposalDensity);
            if (truth is not null)
            {
                var exact = plot.Add.ScatterLine(slices.X1, SlicePanels.Row(truth, k));
                exact.Color = PlotStyle.Truth;
                exact.LineWidth = 1.5f;
                exact.LinePattern = LinePattern.Dotted;
                exact.LegendText = $"true p({x1} | {c})";
                top = Math.Max(top, SlicePanels.Top(k, truth));
            }
            string at = string.Join(", ", slices.Contexts[k].Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{(contextNames.Count > i ? contextNames[i] : $"c{i + 1}")} = {v:0.###}")));
            string band = slices.DataCounts[k] > 0 ? string.Create(CultureInfo.InvariantCulture, $"  ({slices.DataCounts[k]:N0} rows within ±{slices.BandHalfWidth:0.###})") : "";
            plot.Title(at + band, 12);
            plot.XLabel(x1);
            if (SlicePanels.StartsRow(k)) plot.YLabel($"density of {x1} given {c}");
            SlicePanels.Place(canvas, plot, k, slices.X1, top);
        }
        canvas.SavePng(path);
    }
}
