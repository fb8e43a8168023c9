using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>
/// The grid of slice panels shared by figure 4b (p(x2 | x1), <see cref="ConditionalsPlot"/>) and the
/// context figure (p(x1 | c), <see cref="ContextSlicesPlot"/>): in each panel a histogram of the data near
/// the slice, the proposal's conditional dashed and the AEM's solid, with headroom for the legend.
/// </summary>
internal static class SlicePanels
{
    private const int PanelWidth = 420, PanelHeight = 280, Columns = 3, Heading = 44;

    /// <summary>A canvas for <paramref name="count"/> panels, three to a row, under <paramref name="title"/>.</summary>
    public static PanelCanvas Canvas(int count, string title)
    {
        int rows = (count + Columns - 1) / Columns;
        var canvas = new PanelCanvas(Math.Min(count, Columns) * PanelWidth, Heading + (rows * PanelHeight));
        canvas.Heading(title, 28);
        return canvas;
    }

    /// <summary>The data histogram of slice <paramref name="k"/>: <paramref name="density"/> <c>[K, bins]</c> over <paramref name="edges"/>.</summary>
    public static void AddDataHistogram(Plot plot, double[] edges, double[,] density, int k)
    {
        double width = edges[1] - edges[0];
        var bars = Enumerable.Range(0, edges.Length - 1).Select(b => new Bar
        {
            Position = (edges[b] + edges[b + 1]) / 2,
            Value = density[k, b],
            Size = width,
            FillColor = PlotStyle.Data.WithAlpha(0.55),
            LineWidth = 0,
        }).ToList();
        plot.Add.Bars(bars).LegendText = "data histogram";
    }

    /// <summary>The proposal's (dashed) and the AEM's (solid) conditional densities of slice <paramref name="k"/> on grid <paramref name="x"/>.</summary>
    public static void AddCurves(Plot plot, double[] x, double[,] proposal, double[,] aem, int k, string proposalLabel, string aemLabel)
    {
        var q = plot.Add.ScatterLine(x, Row(proposal, k));
        q.Color = PlotStyle.Proposal;
        q.LineWidth = 2;
        q.LinePattern = LinePattern.Dashed;
        q.LegendText = proposalLabel;
        var p = plot.Add.ScatterLine(x, Row(aem, k));
        p.Color = PlotStyle.Aem;
        p.LineWidth = 2;
        p.LegendText = aemLabel;
    }

    /// <summary>
    /// Sets panel <paramref name="k"/>'s axes to <paramref name="x"/>'s range and 0 to 1.45 × <paramref name="top"/> (headroom
    /// above the highest curve or bar keeps the first panel's legend clear of the data), shows the legend on
    /// the first panel only, and places the panel on the canvas.
    /// </summary>
    public static void Place(PanelCanvas canvas, Plot plot, int k, double[] x, double top)
    {
        plot.Axes.SetLimits(x[0], x[^1], 0, top > 0 ? 1.45 * top : 1);
        plot.Legend.IsVisible = k == 0;
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.Legend.FontSize = 10;
        canvas.Add(plot, k % Columns * PanelWidth, Heading + (k / Columns * PanelHeight), PanelWidth, PanelHeight);
    }

    /// <summary>Whether panel <paramref name="k"/> starts a row (and so carries the y-axis label).</summary>
    public static bool StartsRow(int k) => k % Columns == 0;

    /// <summary>The largest finite value in row <paramref name="k"/> of any of <paramref name="matrices"/> (0 if none).</summary>
    public static double Top(int k, params double[][,] matrices) =>
        matrices.SelectMany(m => Enumerable.Range(0, m.GetLength(1)).Select(j => m[k, j])).Where(double.IsFinite).DefaultIfEmpty(0).Max();

    /// <summary>Row <paramref name="k"/> of <paramref name="matrix"/>.</summary>
    public static double[] Row(double[,] matrix, int k) =>
        Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[k, j]).ToArray();
}
