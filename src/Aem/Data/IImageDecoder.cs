namespace Aem.Data;

/// <summary>
/// Decodes picture files (PNG, JPEG) for the image tasks. The library has no image codec of its own,
/// so that it does not depend on one: reference the <c>Aem.Images</c> package and call
/// <c>AemImages.Register()</c> once (the <c>aem</c> tool does), or set <see cref="ImageDecoding.Decoder"/>
/// to your own.
/// </summary>
public interface IImageDecoder
{
    /// <summary>
    /// The pixels of the image in <paramref name="bytes"/> (read from <paramref name="path"/>, named in
    /// errors), as 8-bit RGBA rows, resized to <paramref name="size"/>×<paramref name="size"/> (bilinear,
    /// with mipmaps) when given. Throws <see cref="DataFormatException"/> for an unreadable image.
    /// </summary>
    RgbaImage Decode(string path, byte[] bytes, int? size);
}

/// <summary>Decoded pixels: <paramref name="Height"/> rows of <paramref name="Width"/> RGBA quadruplets, <paramref name="Stride"/> bytes apart.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Stride">Bytes from one row to the next (at least 4 × <paramref name="Width"/>).</param>
/// <param name="Rgba">The pixel bytes, premultiplied alpha (a transparent pixel is black).</param>
public sealed record RgbaImage(int Width, int Height, int Stride, byte[] Rgba);

/// <summary>The image decoder in use (see <see cref="IImageDecoder"/>).</summary>
public static class ImageDecoding
{
    /// <summary>The decoder the image tasks use; null until one is registered.</summary>
    public static IImageDecoder? Decoder { get; set; }

    internal static IImageDecoder Required(string path) => Decoder ?? throw new DataFormatException(path,
        "reading images needs an image decoder: reference the Aem.Images package and call AemImages.Register() (the aem tool does)");
}
