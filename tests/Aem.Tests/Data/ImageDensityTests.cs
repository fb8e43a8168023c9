using Aem.Data;
using SkiaSharp;
using TorchSharp;

namespace Aem.Tests.Data;

public class ImageDensityTests
{
    [Fact]
    public void Sampling_ChoosesPixelsInProportionToIntensity_WithYUp()
    {
        // 2×4 image: top-left weight 1, bottom-right weight 3, the rest black.
        var intensity = new double[2, 4];
        intensity[0, 0] = 1;
        intensity[1, 3] = 3;
        var density = new ImageDensity(intensity, "test");
        var points = density.SampleArray(40_000, seed: 1);
        int topLeft = 0;
        for (int n = 0; n < 40_000; n++)
        {
            double x = points[n, 0], y = points[n, 1];
            bool inTopLeft = x < 0.25 && y > 0.5;
            bool inBottomRight = x >= 0.75 && y <= 0.5;
            Assert.True(inTopLeft || inBottomRight, $"({x}, {y}) lies in a black pixel");
            topLeft += inTopLeft ? 1 : 0;
        }
        // Binomial(40000, 1/4): standard error 0.0022.
        Assert.Equal(0.25, topLeft / 40_000.0, 0.01);
    }

    [Fact]
    public void Dequantisation_FillsEachPixelUniformly()
    {
        var density = new ImageDensity(new double[,] { { 1 } }, "one pixel");
        var points = density.SampleArray(20_000, seed: 2);
        double meanX = 0, meanY = 0, below = 0;
        for (int n = 0; n < 20_000; n++)
        {
            meanX += points[n, 0] / 20_000;
            meanY += points[n, 1] / 20_000;
            below += points[n, 0] < 0.3 ? 1.0 / 20_000 : 0;
        }
        Assert.Equal(0.5, meanX, 0.01);
        Assert.Equal(0.5, meanY, 0.01);
        Assert.Equal(0.3, below, 0.015);
    }

    [Fact]
    public void Probabilities_SumToOne_AndDensityMatchesThem()
    {
        var density = ImageDensity.BuiltIn();
        Assert.Equal((512, 512), (density.Width, density.Height));
        var p = density.Probabilities();
        double total = 0;
        foreach (double v in p)
        {
            Assert.True(v > 0);
            total += v;
        }
        Assert.Equal(1, total, 1e-9);
        // Row 0 is the top: pixel (row 10, column 300) holds the point (300.5/512, 1 − 10.5/512).
        Assert.Equal(p[10, 300] * 512 * 512, density.Density(300.5 / 512, 1 - (10.5 / 512)), 1e-9);
        Assert.Equal(0, density.Density(1.2, 0.5));
    }

    [Fact]
    public void BuiltInImage_HasSharpEdgesAndFineDetail()
    {
        var image = BuiltInImage.Render();
        // Fraction of horizontally adjacent pixel pairs whose intensity jumps by more than half the range.
        int edges = 0;
        for (int r = 0; r < 512; r++)
        {
            for (int c = 1; c < 512; c++)
            {
                edges += Math.Abs(image[r, c] - image[r, c - 1]) > 0.5 ? 1 : 0;
            }
        }
        Assert.InRange(edges / (512.0 * 511), 0.02, 0.5);
        // The finest checker patch (right, lower of the two rows of patches) alternates every 4 pixels.
        Assert.Equal(image[140, 400], image[140, 403]);
        Assert.NotEqual(image[140, 400], image[140, 404]);
        Assert.Equal(image[140, 400], image[140, 408]);
        Assert.Equal(BuiltInImage.Render(), image);
    }

    [Fact]
    public void FromFile_ResizesTo512_AndKeepsTheImageUpright()
    {
        using var folder = new TempFolder();
        // White top half, black bottom half.
        string path = TestImages.Write(folder.File("half.png"), 30, 20, (r, _) => r < 10 ? SKColors.White : SKColors.Black);
        var density = ImageDensity.FromFile(path);
        Assert.Equal((512, 512), (density.Width, density.Height));
        var points = density.SampleArray(5_000, seed: 4);
        int upper = Enumerable.Range(0, 5_000).Count(n => points[n, 1] > 0.5);
        Assert.True(upper > 4_900, $"{upper} of 5000 points in the upper half");
    }

    [Fact]
    public void Catalog_LoadsEinsteinAndUserImages()
    {
        using var folder = new TempFolder();
        string path = TestImages.Write(folder.File("dot.png"), 8, 8, (r, c) => r == 2 && c == 5 ? SKColors.White : SKColors.Black);
        using var builtIn = DataCatalog.Load(new DataRequest { Dataset = "einstein", SyntheticTrainPoints = 1000, SyntheticHeldOutPoints = 100 });
        Assert.Equal("einstein", builtIn.Name);
        Assert.Equal([1000L, 2], builtIn.Train.shape);
        Assert.True(builtIn.Train.min().ToSingle() >= 0 && builtIn.Train.max().ToSingle() <= 1);
        Assert.False(builtIn.Validation.Equals(builtIn.Test));

        using var user = DataCatalog.Load(new DataRequest { Dataset = "image:" + path, SyntheticTrainPoints = 500, SyntheticHeldOutPoints = 50 });
        Assert.Equal("image:" + path, user.Name);
        Assert.NotNull(DataCatalog.ImageDensityFor(new DataRequest { Image = path }));
        Assert.Null(DataCatalog.ImageDensityFor(new DataRequest { Dataset = "spirals" }));
        // The bright pixel (row 2, column 5 of 8) maps to x ≈ 5.5/8, y ≈ 1 − 2.5/8, blurred a little by resizing.
        var mean = user.Train.mean([0]).data<float>().ToArray();
        Assert.Equal(5.5 / 8, mean[0], 0.02);
        Assert.Equal(1 - (2.5 / 8), mean[1], 0.02);
    }
}
