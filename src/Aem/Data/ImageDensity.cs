using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// A 2-D density drawn from a grey-scale picture (SPEC §2.1, the paper's "Einstein" task): the image
/// is resized to 512×512, a pixel is chosen with probability ∝ its intensity, and a point is placed
/// uniformly inside it (U dequantisation per axis), in [0, 1]² with the y axis up:
/// <c>x = (column + U) / W</c>, <c>y = 1 − (row + U) / H</c>, row 0 being the top of the image. The
/// density is piecewise constant: <c>p(x, y) = W·H·P(pixel)</c>.
/// </summary>
/// <example><code>
/// var density = ImageDensity.FromFile("photo.jpg");   // or ImageDensity.BuiltIn()
/// using var points = density.Sample(1_000_000, seed: 1); // [N, 2]
/// </code></example>
internal sealed class ImageDensity
{
    /// <summary>Side length in pixels images are resized to.</summary>
    public const int Resolution = 512;

    private readonly double[] _cumulative;

    /// <summary>A density from non-negative intensities <c>[H, W]</c> (row 0 at the top), refused if all zero.</summary>
    public ImageDensity(double[,] intensity, string source)
    {
        ArgumentNullException.ThrowIfNull(intensity);
        Height = intensity.GetLength(0);
        Width = intensity.GetLength(1);
        Source = source;
        _cumulative = new double[Height * Width];
        double total = 0;
        int i = 0;
        foreach (double value in intensity)
        {
            if (!(value >= 0) || double.IsPositiveInfinity(value))
            {
                throw new ArgumentException($"Intensities must be finite and non-negative; pixel {i} is {value}.", nameof(intensity));
            }
            total += value;
            _cumulative[i++] = total;
        }
        if (total <= 0)
        {
            throw new DataFormatException(source, "the image is blank (every pixel is black): no pixel can be drawn");
        }
    }

    /// <summary>Where the image came from: a path, or "built-in".</summary>
    public string Source { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The built-in test image (<see cref="BuiltInImage"/>), 512×512.</summary>
    public static ImageDensity BuiltIn() => new(BuiltInImage.Render(Resolution), "built-in");

    /// <summary>Decodes a PNG or JPEG, converts it to grey (Rec. 601 luma) and resizes it to 512×512.</summary>
    public static ImageDensity FromFile(string path)
    {
        var image = GreyImage.Load(path, Resolution);
        var intensity = new double[image.Height, image.Width];
        for (int row = 0; row < image.Height; row++)
        {
            for (int column = 0; column < image.Width; column++)
            {
                intensity[row, column] = image[row, column] / 255.0;
            }
        }
        return new ImageDensity(intensity, path);
    }

    /// <summary>Pixel probabilities <c>[H, W]</c> summing to 1, row 0 at the top (y near 1): the true density for plots.</summary>
    public double[,] Probabilities()
    {
        var result = new double[Height, Width];
        double total = _cumulative[^1], previous = 0;
        for (int i = 0; i < _cumulative.Length; i++)
        {
            result[i / Width, i % Width] = (_cumulative[i] - previous) / total;
            previous = _cumulative[i];
        }
        return result;
    }

    /// <summary>The density at (x, y): <c>W·H·P(pixel)</c> inside [0, 1]², 0 outside.</summary>
    public double Density(double x, double y)
    {
        if (x is < 0 or > 1 || y is < 0 or > 1)
        {
            return 0;
        }
        int column = Math.Min((int)(x * Width), Width - 1);
        int row = Math.Min((int)((1 - y) * Height), Height - 1);
        int i = (row * Width) + column;
        double mass = _cumulative[i] - (i > 0 ? _cumulative[i - 1] : 0);
        return mass / _cumulative[^1] * Width * Height;
    }

    /// <summary>Draws <paramref name="count"/> points <c>[count, 2]</c> (x, y) from a seed.</summary>
    public float[,] SampleArray(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new NumpyRandomState(unchecked((uint)seed));
        var points = new float[count, 2];
        double total = _cumulative[^1];
        for (int n = 0; n < count; n++)
        {
            int pixel = FirstAbove(random.NextDouble() * total);
            int row = pixel / Width, column = pixel % Width;
            points[n, 0] = (float)((column + random.NextDouble()) / Width);
            points[n, 1] = (float)(1 - ((row + random.NextDouble()) / Height));
        }
        return points;
    }

    /// <summary>Draws <paramref name="count"/> points as a float32 tensor <c>[count, 2]</c>.</summary>
    public Tensor Sample(int count, int seed) => tensor(SampleArray(count, seed));

    /// <summary>The first pixel whose cumulative mass exceeds <paramref name="target"/>: never a zero-intensity pixel.</summary>
    private int FirstAbove(double target)
    {
        int low = 0, high = _cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_cumulative[middle] > target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }
}
