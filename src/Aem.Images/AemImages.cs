using Aem.Data;
using SkiaSharp;

namespace Aem.Images;

/// <summary>
/// Picture decoding for the AEM library's image tasks (<c>--image FILE</c>, the BSDS300 photographs), with
/// SkiaSharp. Kept out of the core package so that a model user does not carry an image codec's native
/// libraries. Call <see cref="Register"/> once at start-up.
/// </summary>
public static class AemImages
{
    /// <summary>Makes the library decode pictures with SkiaSharp (<see cref="ImageDecoding.Decoder"/>).</summary>
    public static void Register() => ImageDecoding.Decoder = new SkiaImageDecoder();
}

/// <summary>PNG, JPEG and the other formats Skia reads, resized bilinearly with mipmaps.</summary>
internal sealed class SkiaImageDecoder : IImageDecoder
{
    /// <inheritdoc/>
    public RgbaImage Decode(string path, byte[] bytes, int? size)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var bounds = SKBitmap.DecodeBounds(bytes);
        if (bounds.Width <= 0 || bounds.Height <= 0)
        {
            throw new DataFormatException(path, "not a readable image (PNG or JPEG expected)");
        }
        var info = new SKImageInfo(bounds.Width, bounds.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = SKBitmap.Decode(bytes, info)
            ?? throw new DataFormatException(path, "the image is corrupt or truncated and cannot be decoded");
        if (size is int s && (s != decoded.Width || s != decoded.Height))
        {
            var target = new SKImageInfo(s, s, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var resized = decoded.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
                ?? throw new DataFormatException(path, $"the image cannot be resized to {s}×{s}");
            return Copy(resized);
        }
        return Copy(decoded);
    }

    private static RgbaImage Copy(SKBitmap bitmap) =>
        new(bitmap.Width, bitmap.Height, bitmap.RowBytes, bitmap.GetPixelSpan().ToArray());
}
