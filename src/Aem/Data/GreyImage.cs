namespace Aem.Data;

/// <summary>
/// An 8-bit grey-scale image, row-major with row 0 at the top, decoded by the registered
/// <see cref="IImageDecoder"/> (PNG, JPEG) with grey = the Rec. 601 luma 0.299 R + 0.587 G + 0.114 B rounded to an
/// integer (as PIL's <c>convert('L')</c>). Transparent pixels count as black.
/// </summary>
internal sealed record GreyImage(int Width, int Height, byte[] Pixels)
{
    public byte this[int row, int column] => Pixels[(row * Width) + column];

    /// <summary>Decodes <paramref name="path"/>, resized to <paramref name="size"/>×<paramref name="size"/> (bilinear with mipmaps) when given.</summary>
    public static GreyImage Load(string path, int? size = null)
    {
        byte[] bytes;
        using (var stream = TextFiles.OpenRead(path))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        if (bytes.Length == 0)
        {
            throw new DataFormatException(path, "the file is empty");
        }
        return FromRgba(ImageDecoding.Required(path).Decode(path, bytes, size));
    }

    /// <summary>Rec. 601 luma in 16-bit fixed point with rounding: exact for grey inputs (R = G = B).</summary>
    public static byte Luma(byte red, byte green, byte blue) =>
        (byte)(((red * 19595) + (green * 38470) + (blue * 7471) + 0x8000) >> 16);

    private static GreyImage FromRgba(RgbaImage image)
    {
        var rgba = image.Rgba.AsSpan();
        int width = image.Width, height = image.Height;
        var pixels = new byte[width * height];
        for (int row = 0; row < height; row++)
        {
            var line = rgba.Slice(row * image.Stride, width * 4);
            for (int column = 0; column < width; column++)
            {
                pixels[(row * width) + column] = Luma(line[4 * column], line[(4 * column) + 1], line[(4 * column) + 2]);
            }
        }
        return new GreyImage(width, height, pixels);
    }
}
