using System.Globalization;
using Aem.Figures;
using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>
/// Draws <see cref="ConditionalSlices"/> like the paper's figure 4b: for each x1, the conditional
/// p(x2 | x1) of the AEM and of its proposal over a histogram of the data near that x1.
/// </summary>
internal static class ConditionalsPlot
{
    private const int PanelWidth = 420, PanelHeight = 280, Columns = 3, Heading = 44;

    public static void Save(ConditionalSlices slices, string title, string path, AxisNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(slices);
        int count = slices.X1.Length;
        int rows = (count + Columns - 1) / Columns;
        int columns = Math.Min(count, Columns);
        var canvas = new PanelCanvas(columns * PanelWidth, Heading + (rows * PanelHeight));
        canvas.Heading(title, 28);
        for (int k = 0; k < count; k++)
        {
            var plot = PlotStyle.NewPlot();
            AddDataHistogram(plot, slices, k);
            var proposal = plot.Add.ScatterLine(slices.X2, Row(slices.ProposalDensity, k));
            proposal.Color = PlotStyle.Proposal;
            proposal.LineWidth = 2;
            proposal.LinePattern = LinePattern.Dashed;
            var (x1, x2) = names ?? AxisNames.Default;
            proposal.LegendText = $"proposal q({x2} | {x1})";
            var aem = plot.Add.ScatterLine(slices.X2, Row(slices.Density, k));
            aem.Color = PlotStyle.Aem;
            aem.LineWidth = 2;
            aem.LegendText = $"AEM p̂({x2} | {x1}), S = {slices.Samples:N0}";
            plot.Title(string.Create(CultureInfo.InvariantCulture, $"{x1} = {slices.X1[k]:0.###}  ({slices.DataCounts[k]:N0} data points within ±{slices.BandHalfWidth:0.###})"), 12);
            plot.XLabel(x2);
            if (k % Columns == 0) plot.YLabel($"density of {x2} given {x1}");
            // Headroom above the highest curve or bar keeps the first panel's legend clear of the data.
            double top = Math.Max(Max(slices.DataDensity, k), Math.Max(Max(slices.Density, k), Max(slices.ProposalDensity, k)));
            plot.Axes.SetLimits(slices.X2[0], slices.X2[^1], 0, top > 0 ? 1.45 * top : 1);
            plot.Legend.IsVisible = k == 0;
            plot.Legend.Alignment = Alignment.UpperRight;
            plot.Legend.FontSize = 10;
            canvas.Add(plot, k % Columns * PanelWidth, Heading + (k / Columns * PanelHeight), PanelWidth, PanelHeight);
        }
        canvas.SavePng(path);
    }

    private static void AddDataHistogram(Plot plot, ConditionalSlices slices, int k)
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
