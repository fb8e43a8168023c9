using Aem.Evaluation;
using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>
/// A box-and-whisker figure, one box per group: the box spans the 25th to 75th percentile with a line at
/// the median, and the whiskers reach the 5th and 95th percentiles (as in the paper's figures 2 and 5).
/// </summary>
internal static class BoxFigurePlot
{
    /// <param name="groups">Label and values of each box, left to right (non-finite values are dropped).</param>
    /// <param name="reference">A horizontal reference line (e.g. the true value), or null.</param>
    /// <param name="referenceLabel">Legend text of the reference line.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="xLabel">Horizontal axis label.</param>
    /// <param name="yLabel">Vertical axis label.</param>
    /// <param name="path">PNG to write.</param>
    public static void Save(
        IReadOnlyList<(string Label, IReadOnlyList<double> Values)> groups,
        double? reference,
        string referenceLabel,
        string title,
        string xLabel,
        string yLabel,
        string path)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var plot = PlotStyle.NewPlot();
        var boxes = new List<Box>();
        for (int i = 0; i < groups.Count; i++)
        {
            var values = groups[i].Values.Where(double.IsFinite).ToArray();
            if (values.Length == 0) continue;
            boxes.Add(new Box
            {
                Position = i,
                BoxMin = Percentile.Of(values, 25),
                BoxMax = Percentile.Of(values, 75),
                BoxMiddle = Percentile.Of(values, 50),
                WhiskerMin = Percentile.Of(values, 5),
                WhiskerMax = Percentile.Of(values, 95),
            });
        }
        if (boxes.Count > 0)
        {
            var drawn = plot.Add.Boxes(boxes);
            // A light fill keeps the median line visible.
            drawn.FillColor = PlotStyle.Aem.WithAlpha(0.3);
            drawn.LineColor = PlotStyle.Aem;
            drawn.LineWidth = 1.5f;
        }
        else
        {
            plot.Add.Annotation("no finite values to draw");
        }
        if (reference is { } r)
        {
            var line = plot.Add.HorizontalLine(r);
            line.Color = PlotStyle.Truth;
            line.LinePattern = LinePattern.Dotted;
            line.LineWidth = 1.5f;
            line.LegendText = referenceLabel;
            plot.ShowLegend(Alignment.LowerLeft);
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray(), groups.Select(g => g.Label).ToArray());
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(-0.7, groups.Count - 0.3);

        var canvas = new PanelCanvas(900, 560);
        canvas.Add(plot, 0, 0, 900, 560);
        canvas.SavePng(path);
    }
}
