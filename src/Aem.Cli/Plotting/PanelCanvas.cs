using Aem.Cli.Output;
using ScottPlot;
using SkiaSharp;

namespace Aem.Cli.Plotting;

/// <summary>
/// One PNG made of several ScottPlot panels at fixed pixel rectangles, with an optional heading:
/// the layout of the paper's multi-panel figures.
/// </summary>
internal sealed class PanelCanvas
{
    private readonly List<(Plot Plot, PixelRect Rect)> panels = [];
    private readonly List<(string Text, float X, float Y, float Size)> headings = [];

    public PanelCanvas(int width, int height)
    {
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public void Add(Plot plot, float left, float top, float width, float height) =>
        panels.Add((plot, new PixelRect(left, left + width, top + height, top)));

    /// <summary>Centred text at height <paramref name="y"/> (baseline), in pixels from the top.</summary>
    public void Heading(string text, float y, float size = 18) => headings.Add((text, Width / 2f, y, size));

    /// <summary>Renders every panel and writes the PNG atomically.</summary>
    public void SavePng(string path)
    {
        FigureFonts.Ensure();
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Could not allocate a {Width}×{Height} drawing surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        foreach (var (plot, rect) in panels)
        {
            canvas.Save();
            canvas.ClipRect(new SKRect(rect.Left, rect.Top, rect.Right, rect.Bottom));
            plot.Render(canvas, rect);
            canvas.Restore();
        }
        if (headings.Count > 0)
        {
            using var typeface = SKTypeface.FromFile(FigureFonts.RegularFile);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            foreach (var (text, x, y, size) in headings)
            {
                using var font = new SKFont(typeface, size);
                canvas.DrawText(text, x, y, SKTextAlign.Center, font, paint);
            }
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, temporary =>
        {
            using var stream = File.Create(temporary);
            data.SaveTo(stream);
        });
    }
}
