using Aem.Training;
using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>Training and validation log-likelihoods of the AEM and its proposal against steps, from a run's history.</summary>
internal static class TrainingCurvesPlot
{
    /// <param name="history">The run's validations, oldest first.</param>
    /// <param name="warmupSteps">Steps in which only the proposal trained (marked with a line).</param>
    /// <param name="truth">The true log-likelihood, if known (drawn as a dotted line).</param>
    /// <param name="title">Figure title.</param>
    /// <param name="path">PNG to write.</param>
    public static void Save(IReadOnlyList<ValidationScore> history, int warmupSteps, double? truth, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        var plot = PlotStyle.NewPlot();
        var values = new List<double>();
        Series(plot, history, s => s.LogDensity, "validation AEM log p̂", PlotStyle.Aem, dashed: false, values);
        Series(plot, history, s => s.LogProposal, "validation proposal log q", PlotStyle.Proposal, dashed: false, values);
        Series(plot, history, s => s.TrainLogDensity, "training AEM log p̂ (mean since last validation)", PlotStyle.Aem, dashed: true, values);
        Series(plot, history, s => s.TrainLogProposal, "training proposal log q (mean since last validation)", PlotStyle.Proposal, dashed: true, values);
        if (truth is { } t)
        {
            var line = plot.Add.HorizontalLine(t);
            line.Color = PlotStyle.Truth;
            line.LinePattern = LinePattern.Dotted;
            line.LineWidth = 1.5f;
            line.LegendText = $"true log-likelihood ({t:0.000})";
            values.Add(t);
        }
        if (warmupSteps > 0 && history.Count > 0 && warmupSteps < history[^1].Step)
        {
            var line = plot.Add.VerticalLine(warmupSteps);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "end of warm-up";
        }
        if (history.Count == 0)
        {
            plot.Add.Annotation("no validation scores in this run (validation was off or it stopped before the first)");
        }
        plot.Title(title);
        plot.XLabel("training step");
        plot.YLabel("log-likelihood (nats per point)");
        // Beside the axes, not on them: inside, wherever it sat it hid the end of some run's curves.
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 11;
        plot.Axes.AutoScale();
        if (RobustLimits(values) is { } limits) plot.Axes.SetLimitsY(limits.Low, limits.High);

        var canvas = new PanelCanvas(1300, 560);
        canvas.Add(plot, 0, 0, 1300, 560);
        canvas.SavePng(path);
    }

    private static void Series(
        Plot plot, IReadOnlyList<ValidationScore> history, Func<ValidationScore, double?> select, string label, Color color, bool dashed, List<double> values)
    {
        var points = history.Where(s => select(s) is { } v && double.IsFinite(v)).Select(s => (X: (double)s.Step, Y: select(s)!.Value)).ToArray();
        if (points.Length == 0) return;
        var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        scatter.Color = color;
        scatter.LineWidth = 2;
        scatter.MarkerSize = dashed ? 0 : 5;
        scatter.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        scatter.LegendText = label;
        values.AddRange(points.Select(p => p.Y));
    }

    /// <summary>
    /// Y limits that show the later, interesting part of training: the first scores of a run can be
    /// tens of nats below the rest and would flatten every curve.
    /// </summary>
    private static (double Low, double High)? RobustLimits(List<double> values)
    {
        if (values.Count < 2) return null;
        var sorted = values.Order().ToArray();
        double high = sorted[^1];
        double median = sorted[sorted.Length / 2];
        double low = Math.Max(sorted[0], median - (4 * Math.Max(high - median, 0.05)));
        double pad = 0.08 * Math.Max(high - low, 1e-3);
        return (low - pad, high + pad);
    }
}
