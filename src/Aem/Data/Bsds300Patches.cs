using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// BSDS300 regenerated from the 300 Berkeley photographs, following the recipe behind the MAF file:
/// grey-scale (Rec. 601 luma, integers 0..255), random 8×8 patches, dequantised by adding U[0, 1) to
/// each grey level, divided by 256 (so in [0, 1)), the patch mean subtracted, the last (bottom-right)
/// pixel dropped: 63 dimensions, pixels in row-major order. Training and validation patches come from
/// the training images, test patches from the test images; each patch picks an image uniformly, then
/// a position uniformly. Seeded; each split has its own random stream. These match the published
/// patches in distribution, not bit for bit.
/// </summary>
internal static class Bsds300Patches
{
    public const int PatchSize = 8;
    public const int Dimensions = (PatchSize * PatchSize) - 1;

    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    public static DataSet Load(string? directory, SplitSizes sizes, int seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Train < 1 || sizes.Validation < 1 || sizes.Test < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sizes), sizes, "Every split needs at least one patch.");
        }
        var (trainFolder, testFolder) = FindFolders(directory);
        var trainImages = LoadImages(trainFolder);
        var testImages = LoadImages(testFolder);
        var train = Sample(trainImages, sizes.Train, new NumpyRandomState(unchecked((uint)seed)));
        var validation = Sample(trainImages, sizes.Validation, new NumpyRandomState(unchecked((uint)(seed + 1_000_003))));
        var test = Sample(testImages, sizes.Test, new NumpyRandomState(unchecked((uint)(seed + 2_000_006))));
        return new DataSet("bsds300-images",
            tensor(train, [sizes.Train, Dimensions]),
            tensor(validation, [sizes.Validation, Dimensions]),
            tensor(test, [sizes.Test, Dimensions]),
            Standardizer: null);
    }

    /// <summary><paramref name="count"/> patches, row-major <c>[count, 63]</c>.</summary>
    public static float[] Sample(IReadOnlyList<GreyImage> images, int count, NumpyRandomState random)
    {
        var result = new float[(long)count * Dimensions];
        Span<double> patch = stackalloc double[PatchSize * PatchSize];
        for (int n = 0; n < count; n++)
        {
            var image = images[(int)random.Interval((uint)(images.Count - 1))];
            int top = (int)random.Interval((uint)(image.Height - PatchSize));
            int left = (int)random.Interval((uint)(image.Width - PatchSize));
            double sum = 0;
            for (int i = 0; i < patch.Length; i++)
            {
                // Dequantise the integer grey level, then scale to [0, 1).
                patch[i] = (image[top + (i / PatchSize), left + (i % PatchSize)] + random.NextDouble()) / 256.0;
                sum += patch[i];
            }
            double mean = sum / patch.Length;
            var target = result.AsSpan(n * Dimensions, Dimensions);
            for (int i = 0; i < Dimensions; i++)
            {
                target[i] = (float)(patch[i] - mean);
            }
        }
        return result;
    }

    /// <summary>The train and test image folders: <c>images/{train,test}</c>, <c>{train,test}</c> or <c>bsds300/images/{train,test}</c> under the directory.</summary>
    internal static (string Train, string Test) FindFolders(string? directory)
    {
        string root = string.IsNullOrEmpty(directory) ? "." : directory;
        string[] bases = [Path.Combine(root, "images"), root, Path.Combine(root, "bsds300", "images")];
        foreach (string folder in bases)
        {
            string train = Path.Combine(folder, "train"), test = Path.Combine(folder, "test");
            if (Directory.Exists(train) && Directory.Exists(test))
            {
                return (train, test);
            }
        }
        throw new DataFormatException(Path.Combine(root, "images", "train"),
            "not found: expected the BSDS300 photographs in images/train and images/test (or train/ and test/) under the data directory");
    }

    internal static IReadOnlyList<GreyImage> LoadImages(string folder)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new DataFormatException(folder, "holds no .jpg or .png images");
        }
        var images = new GreyImage[files.Length];
        for (int i = 0; i < files.Length; i++)
        {
            images[i] = GreyImage.Load(files[i]);
            if (images[i].Width < PatchSize || images[i].Height < PatchSize)
            {
                throw new DataFormatException(files[i], $"the image is {images[i].Width}×{images[i].Height}, smaller than an {PatchSize}×{PatchSize} patch");
            }
        }
        return images;
    }
}
