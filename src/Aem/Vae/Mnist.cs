using Aem.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// Loads MNIST from the four IDX files in a folder (gzip or not): <c>train-images-idx3-ubyte[.gz]</c>
/// (60,000 images) and <c>t10k-images-idx3-ubyte[.gz]</c> (10,000). The last
/// <c>validationCount</c> training images (10,000 by default) are held out for validation.
/// </summary>
internal static class Mnist
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>Loads the three splits as grey levels (pixel / 255).</summary>
    public static MnistData Load(string directory, int validationCount = 10_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: no such MNIST folder.");
        using var train = ReadGrey(Find(directory, TrainImages));
        var test = ReadGrey(Find(directory, TestImages));
        long n = train.shape[0];
        if (validationCount < 0 || validationCount >= n)
        {
            test.Dispose();
            throw new ArgumentOutOfRangeException(nameof(validationCount), validationCount, $"The training file has {n} images; hold out fewer.");
        }
        return new MnistData(
            train.narrow(0, 0, n - validationCount).clone(),
            train.narrow(0, n - validationCount, validationCount).clone(),
            test);
    }

    /// <summary>The path of <paramref name="name"/> or <paramref name="name"/>.gz in <paramref name="directory"/>.</summary>
    public static string Find(string directory, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{directory}: neither {name}.gz nor {name} is here (the MNIST IDX files).", Path.Combine(directory, name));
    }

    /// <summary>An IDX image file as grey levels, float32 <c>[N, 1, rows, columns]</c>.</summary>
    public static Tensor ReadGrey(string path)
    {
        using var scope = NewDisposeScope();
        var bytes = IdxReader.ReadImages(path);                                   // [N, R, C]
        using var levels = 255.0.ToScalar();
        return bytes.to(float32).div(levels).unsqueeze(1).MoveToOuterDisposeScope(); // [N, 1, R, C]
    }
}
