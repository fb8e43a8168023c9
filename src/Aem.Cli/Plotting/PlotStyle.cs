using ScottPlot;

namespace Aem.Cli.Plotting;

/// <summary>Shared look of the figures: colours, font sizes and a heat-map helper.</summary>
internal static class PlotStyle
{
    public static readonly Color Aem = Color.FromHex("#1f77b4");
    public static readonly Color Proposal = Color.FromHex("#ff7f0e");
    public static readonly Color Data = Color.FromHex("#9e9e9e");
    public static readonly Color Truth = Color.FromHex("#000000");

    /// <summary>A plot with the figure font and readable sizes.</summary>
    public static Plot NewPlot()
    {
        FigureFonts.Ensure();
        var plot = new Plot();
        plot.Font.Set(FigureFonts.Family);
        plot.Axes.Title.Label.FontSize = 15;
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        return plot;
    }

    /// <summary>
    /// Draws <paramref name="values"/> <c>[i along x1, j along x2]</c> over the given rectangle with the
    /// colour scale fixed to [0, <paramref name="max"/>], x1 horizontal and x2 increasing upwards.
    /// </summary>
    public static ScottPlot.Plottables.Heatmap Heatmap(Plot plot, double[,] values, double x1Min, double x1Max, double x2Min, double x2Max, double max)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(values);
        int n1 = values.GetLength(0), n2 = values.GetLength(1);
        // ScottPlot's heat maps put row 0 at the top: row r holds the r-th highest x2.
        var image = new double[n2, n1];
        for (int i = 0; i < n1; i++)
        {
            for (int j = 0; j < n2; j++) image[n2 - 1 - j, i] = values[i, j];
        }
        var heatmap = plot.Add.Heatmap(image);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, max);
        heatmap.Rectangle = new CoordinateRect(x1Min, x1Max, x2Min, x2Max);
        plot.Axes.SetLimits(x1Min, x1Max, x2Min, x2Max);
        return heatmap;
    }

    /// <summary>The <paramref name="q"/>-quantile of the values of <paramref name="matrix"/>.</summary>
    public static double Quantile(double[,] matrix, double q)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var sorted = matrix.Cast<double>().Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return 0;
        return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }
}
