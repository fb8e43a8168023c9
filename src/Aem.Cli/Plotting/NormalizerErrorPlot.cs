using System.Globalization;
using Aem.Evaluation;
using Aem.Model;
using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>
/// The normalisers' relative error |Ẑ/Z − 1| against the energy-network evaluations per conditional (S), log-log,
/// one colour per estimator: the median as a solid line, the 5th and 95th percentiles dashed. A dotted line marks
/// the 95th percentile that independent samples reach at the largest S, the accuracy to match.
/// </summary>
internal static class NormalizerErrorPlot
{
    private static readonly Dictionary<NormalizerEstimator, Color> Colours = new()
    {
        [NormalizerEstimator.Iid] = PlotStyle.Proposal,
        [NormalizerEstimator.Stratified] = PlotStyle.Aem,
        [NormalizerEstimator.Quadrature] = Color.FromHex("#2ca02c"),
    };

    /// <param name="result">A calibration with one or more estimators.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="path">PNG to write.</param>
    public static void Save(CalibrationResult result, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = PlotStyle.NewPlot();
        var ys = new List<double>();
        foreach (var estimator in result.Estimators)
        {
            var summaries = result.Summaries.Where(s => s.Estimator == estimator).OrderBy(s => s.Samples).ToArray();
            string name = estimator.ToString().ToLowerInvariant();
            Line(plot, summaries, s => s.MedianAbsolute, Colours[estimator], true, $"{name}: median", ys);
            Line(plot, summaries, s => s.P95Absolute, Colours[estimator], false, $"{name}: 5th and 95th percentiles", ys);
            Line(plot, summaries, s => s.P5Absolute, Colours[estimator], false, null, ys);
        }
        if (result.Summaries.Where(s => s.Estimator == NormalizerEstimator.Iid).MaxBy(s => s.Samples) is { } reference && reference.P95Absolute > 0)
        {
            var line = plot.Add.HorizontalLine(Math.Log10(reference.P95Absolute));
            line.Color = PlotStyle.Truth;
            line.LinePattern = LinePattern.Dotted;
            line.LineWidth = 1.5f;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"iid at S = {reference.Samples:N0}, 95th percentile ({reference.P95Absolute:G2})");
        }
        var sizes = result.SampleSizes.Where(s => s > 0).ToArray();
        double xLow = Math.Floor(Math.Log10(sizes.Min())), xHigh = Math.Ceiling(Math.Log10(sizes.Max()));
        var finite = ys.Where(double.IsFinite).ToArray();
        double yLow = finite.Length > 0 ? Math.Floor(finite.Min()) : -6, yHigh = finite.Length > 0 ? Math.Ceiling(finite.Max()) : 0;
        plot.Axes.Bottom.SetTicks(Decades(xLow, xHigh), Decades(xLow, xHigh).Select(Label).ToArray());
        plot.Axes.Left.SetTicks(Decades(yLow, yHigh), Decades(yLow, yHigh).Select(Label).ToArray());
        plot.Axes.SetLimits(xLow - 0.1, xHigh + 0.1, yLow - 0.1, yHigh + 0.1);
        plot.Title(title);
        plot.XLabel("energy-network evaluations per conditional (S)");
        plot.YLabel("|Ẑ/Z − 1|");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Legend.FontSize = 11;

        var canvas = new PanelCanvas(900, 620);
        canvas.Add(plot, 0, 0, 900, 620);
        canvas.SavePng(path);
    }

    private static void Line(
        Plot plot, RelativeErrorSummary[] summaries, Func<RelativeErrorSummary, double> select, Color colour, bool median, string? label, List<double> ys)
    {
        // log10 of an exact zero (a quadrature that hit the truth) cannot be drawn.
        var points = summaries.Where(s => select(s) > 0).Select(s => (X: Math.Log10(s.Samples), Y: Math.Log10(select(s)))).ToArray();
        if (points.Length == 0) return;
        var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        scatter.Color = colour;
        scatter.LinePattern = median ? LinePattern.Solid : LinePattern.Dashed;
        scatter.LineWidth = median ? 2.5f : 1.5f;
        scatter.MarkerSize = median ? 6 : 0;
        if (label is not null) scatter.LegendText = label;
        ys.AddRange(points.Select(p => p.Y));
    }

    private static double[] Decades(double low, double high) =>
        Enumerable.Range((int)low, (int)(high - low) + 1).Select(k => (double)k).ToArray();

    private static string Label(double exponent) => exponent switch
    {
        >= 0 and <= 5 => Math.Pow(10, exponent).ToString("N0", CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"1e{exponent:0}"),
    };
}
