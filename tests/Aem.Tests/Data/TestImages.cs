using SkiaSharp;

namespace Aem.Tests.Data;

/// <summary>Writes small generated images for the tests (no photograph is shipped).</summary>
internal static class TestImages
{
    /// <summary>Writes a grey image <c>[H, W]</c> (row 0 at the top) as PNG (lossless) or JPEG.</summary>
    public static string WriteGrey(string path, byte[,] grey, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        int height = grey.GetLength(0), width = grey.GetLength(1);
        return Write(path, width, height, (r, c) => new SKColor(grey[r, c], grey[r, c], grey[r, c]), format);
    }

    public static string Write(string path, int width, int height, Func<int, int, SKColor> colour, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                bitmap.SetPixel(c, r, colour(r, c));
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }
}
