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
    private const int PanelWidth = 420, PanelHeight = 280, Columns = 3, Heading = 44;

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
        int rows = (count + Columns - 1) / Columns;
        int columns = Math.Min(count, Columns);
        var canvas = new PanelCanvas(columns * PanelWidth, Heading + (rows * PanelHeight));
        canvas.Heading(title, 28);
        string c = contextNames.Count == 1 ? contextNames[0] : "c";
        for (int k = 0; k < count; k++)
        {
            var plot = PlotStyle.NewPlot();
            if (slices.DataCounts[k] > 0) AddDataHistogram(plot, slices, k);
            var proposal = plot.Add.ScatterLine(slices.X1, Row(slices.ProposalDensity, k));
            proposal.Color = PlotStyle.Proposal;
            proposal.LineWidth = 2;
            proposal.LinePattern = LinePattern.Dashed;
            proposal.LegendText = $"proposal q({x1} | {c})";
            var aem = plot.Add.ScatterLine(slices.X1, Row(slices.Density, k));
            aem.Color = PlotStyle.Aem;
            aem.LineWidth = 2;
            aem.LegendText = $"AEM p̂({x1} | {c}), S = {slices.Samples:N0}";
            double top = Math.Max(Max(slices.DataDensity, k), Math.Max(Max(slices.Density, k), Max(slices.ProposalDensity, k)));
            if (truth is not null)
            {
                var exact = plot.Add.ScatterLine(slices.X1, Row(truth, k));
                exact.Color = PlotStyle.Truth;
                exact.LineWidth = 1.5f;
                exact.LinePattern = LinePattern.Dotted;
                exact.LegendText = $"true p({x1} | {c})";
                top = Math.Max(top, Max(truth, k));
            }
            string at = string.Join(", ", slices.Contexts[k].Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{(contextNames.Count > i ? contextNames[i] : $"c{i + 1}")} = {v:0.###}")));
            string band = slices.DataCounts[k] > 0 ? string.Create(CultureInfo.InvariantCulture, $"  ({slices.DataCounts[k]:N0} rows within ±{slices.BandHalfWidth:0.###})") : "";
            plot.Title(at + band, 12);
            plot.XLabel(x1);
            if (k % Columns == 0) plot.YLabel($"density of {x1} given {c}");
            plot.Axes.SetLimits(slices.X1[0], slices.X1[^1], 0, top > 0 ? 1.45 * top : 1);
            plot.Legend.IsVisible = k == 0;
            plot.Legend.Alignment = Alignment.UpperRight;
            plot.Legend.FontSize = 10;
            canvas.Add(plot, k % Columns * PanelWidth, Heading + (k / Columns * PanelHeight), PanelWidth, PanelHeight);
        }
        canvas.SavePng(path);
    }

    private static void AddDataHistogram(Plot plot, ContextSlices slices, int k)
    {
        int bins = slices.BinEdges.Length - 1;
        double width = slices.BinEdges[1] - slices.BinEdges[0];
        var bars = Enumerable.Range(0, bins).Select(b => new Bar
        {
            Position = (slices.BinEdges[b] + slices.BinEdges[b + 1]) / 2,
            Value = slices.DataDensity[k, b],
            Size = width,
            FillColor = PlotStyle.Data.WithAlpha(0.55),
            LineWidth = 0,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = "data histogram";
    }

    private static double Max(double[,] matrix, int k) =>
        Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[k, j]).Where(double.IsFinite).DefaultIfEmpty(0).Max();

    private static double[] Row(double[,] matrix, int k) =>
        Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[k, j]).ToArray();
}
