using Aem.Figures;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Figures;

public class Histogram2DTests
{
    private static readonly PlotRegion Unit = new(0, 2, 0, 1);

    [Fact]
    public void Points_LandInTheirCell_WithX1AlongTheFirstIndex()
    {
        // 4 × 2 cells of 0.5 × 0.5 over [0, 2] × [0, 1].
        using var points = tensor(new double[,] { { 0.1, 0.9 }, { 1.6, 0.2 }, { 1.7, 0.3 }, { 5.0, 0.5 } });
        var histogram = Histogram2D.Compute(points, Unit, bins1: 4, bins2: 2);
        double perPoint = 1 / (4 * 0.25);                                    // one point of four in a 0.25 cell
        Assert.Equal(perPoint, histogram.Density[0, 1], 12);
        Assert.Equal(2 * perPoint, histogram.Density[3, 0], 12);
        Assert.Equal(3 * perPoint, histogram.Density.Cast<double>().Sum(), 12); // the point outside counts in N only
    }

    [Fact]
    public void Density_IntegratesToTheFractionOfPointsInside()
    {
        using var generator = new TorchSharp.torch.Generator(2, CPU);
        using var points = randn([5000, 2], dtype: float64, generator: generator);
        var region = new PlotRegion(-1, 1.5, -2, 0.5);
        var histogram = Histogram2D.Compute(points, region, bins1: 25, bins2: 10);
        double cellArea = region.Width / 25 * region.Height / 10;
        double mass = histogram.Density.Cast<double>().Sum() * cellArea;
        using var inside = points[.., 0].ge(-1).logical_and(points[.., 0].lt(1.5)).logical_and(points[.., 1].ge(-2)).logical_and(points[.., 1].lt(0.5));
        double fraction = inside.sum().ToInt64() / 5000.0;
        Assert.Equal(fraction, mass, 10);
    }

    [Fact]
    public void Region_CoversTheDataWithPadding()
    {
        using var points = tensor(new double[,] { { -4, -1 }, { 4, 3 }, { 0, 1 } });
        var region = PlotRegion.FromData(points, padding: 0.1, tail: 0);
        Assert.Equal(-4.8, region.X1Min, 10);
        Assert.Equal(4.8, region.X1Max, 10);
        Assert.Equal(-1.4, region.X2Min, 10);
        Assert.Equal(3.4, region.X2Max, 10);
    }
}
