using Aem.Data;
using SkiaSharp;
using TorchSharp;

namespace Aem.Tests.Data;

public class Bsds300PatchesTests
{
    /// <summary>A 16×16 ramp whose grey level 16·row + column (or 255 minus it) tells where a pixel is.</summary>
    private static byte[,] Ramp(bool reversed)
    {
        var grey = new byte[16, 16];
        for (int r = 0; r < 16; r++)
        {
            for (int c = 0; c < 16; c++)
            {
                grey[r, c] = (byte)(reversed ? 255 - ((16 * r) + c) : (16 * r) + c);
            }
        }
        return grey;
    }

    private static DataSet Load(TempFolder folder, int seed = 3)
    {
        TestImages.WriteGrey(folder.File("images", "train", "ramp.png"), Ramp(reversed: false));
        TestImages.WriteGrey(folder.File("images", "test", "ramp.png"), Ramp(reversed: true));
        return DataCatalog.Load(new DataRequest
        {
            Dataset = "bsds300-images",
            DataDirectory = folder.Path,
            BsdsPatches = new SplitSizes(300, 50, 100),
            Seed = seed,
        });
    }

    /// <summary>
    /// With grey g = g₀ + 16i + j inside a patch, the mean-removed dequantised pixel (i, j) is
    /// p = (g + U)/256 − mean, so 256·(p_ij − p_00) = ±(16i + j) + (U_ij − U_00) and 256·p_00 = ∓59.5 + (U_00 − Ū).
    /// </summary>
    private static void AssertRampPatches(torch.Tensor patches, int sign)
    {
        var values = patches.to(torch.float64).data<double>().ToArray();
        for (int n = 0; n < patches.shape[0]; n++)
        {
            var p = values.AsSpan(n * 63, 63);
            double last = -p.ToArray().Sum();
            Assert.InRange((256 * p[0]) + (sign * 59.5), -1, 1);
            for (int k = 1; k < 64; k++)
            {
                double pk = k < 63 ? p[k] : last;
                double offset = (16 * (k / 8)) + (k % 8);
                Assert.InRange((256 * (pk - p[0])) - (sign * offset), -1, 1);
            }
        }
    }

    [Fact]
    public void Patches_Have63Dims_MeanRemoved_LastPixelDropped()
    {
        using var folder = new TempFolder();
        using var data = Load(folder);
        Assert.Equal([300L, 63], data.Train.shape);
        Assert.Equal([50L, 63], data.Validation.shape);
        Assert.Equal([100L, 63], data.Test.shape);
        AssertRampPatches(data.Train, sign: 1);
        AssertRampPatches(data.Validation, sign: 1);
        // Test patches come from the test images only.
        AssertRampPatches(data.Test, sign: -1);
    }

    [Fact]
    public void Patches_AreSeeded()
    {
        using var folder = new TempFolder();
        using var a = Load(folder, seed: 5);
        using var b = Load(folder, seed: 5);
        using var c = Load(folder, seed: 6);
        Assert.True(a.Train.Equals(b.Train));
        Assert.False(a.Train.Equals(c.Train));
        Assert.False(a.Train.narrow(0, 0, 50).Equals(a.Validation));
    }

    [Fact]
    public void Grey_IsRec601Luma()
    {
        using var folder = new TempFolder();
        SKColor[] colours = [new(255, 0, 0), new(0, 255, 0), new(0, 0, 255), new(255, 255, 255), new(10, 200, 90)];
        string path = TestImages.Write(folder.File("colours.png"), colours.Length, 2, (_, c) => colours[c]);
        var image = GreyImage.Load(path);
        Assert.Equal((5, 2), (image.Width, image.Height));
        Assert.Equal([76, 150, 29, 255, 131], Enumerable.Range(0, 5).Select(c => image[1, c]));
    }

    [Fact]
    public void Jpeg_DecodesToNearlyTheSameGrey()
    {
        using var folder = new TempFolder();
        var grey = new byte[24, 40];
        for (int r = 0; r < 24; r++)
        {
            for (int c = 0; c < 40; c++)
            {
                grey[r, c] = 128;
            }
        }
        var image = GreyImage.Load(TestImages.WriteGrey(folder.File("flat.jpg"), grey, SKEncodedImageFormat.Jpeg));
        Assert.Equal((40, 24), (image.Width, image.Height));
        Assert.All(image.Pixels, g => Assert.InRange(g, 126, 130));
    }

    [Fact]
    public void TinyImagesAndEmptyFolders_AreNamed()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("images", "test", "x"));
        string tiny = TestImages.WriteGrey(folder.File("images", "train", "tiny.png"), new byte[4, 12]);
        var request = new DataRequest { Dataset = "bsds300-images", DataDirectory = folder.Path, BsdsPatches = new SplitSizes(1, 1, 1) };
        Assert.Equal(tiny, Assert.Throws<DataFormatException>(() => DataCatalog.Load(request)).File);
        File.Delete(tiny);
        var empty = Assert.Throws<DataFormatException>(() => DataCatalog.Load(request));
        Assert.Equal(Path.Combine(folder.Path, "images", "train"), empty.File);
        Assert.Contains("no .jpg or .png", empty.Message, StringComparison.Ordinal);
    }
}
