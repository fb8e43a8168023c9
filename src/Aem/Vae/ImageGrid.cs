using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>Lays out images in a grid and grids side by side, as one grey image <c>[H, W]</c> in [0, 1].</summary>
internal static class ImageGrid
{
    /// <summary>
    /// Tiles <paramref name="images"/> <c>[N, 1, S, S]</c> (or <c>[N, S, S]</c>) row by row,
    /// <paramref name="columns"/> per row, separated by <paramref name="padding"/> pixels of <paramref name="background"/>.
    /// </summary>
    public static Tensor Tile(Tensor images, int columns, int padding = 2, double background = 0.5)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Need at least one column.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding cannot be negative.");
        using var scope = NewDisposeScope();
        var x = images.dim() == 4 ? images.squeeze(1) : images;                     // [N, S, S]
        long n = x.shape[0], h = x.shape[1], w = x.shape[2];
        long rows = Math.Max(1, (n + columns - 1) / columns);
        using var fill = background.ToScalar();
        var grid = full([padding + (rows * (h + padding)), padding + (columns * (w + padding))], fill, dtype: float32);
        var cpu = x.to(float32, CPU).clamp(Scalars.Zero, Scalars.One);
        for (long i = 0; i < n; i++)
        {
            long top = padding + ((i / columns) * (h + padding));
            long left = padding + ((i % columns) * (w + padding));
            grid.narrow(0, top, h).narrow(1, left, w).copy_(cpu[i]);
        }
        return grid.MoveToOuterDisposeScope();
    }

    /// <summary>Places <paramref name="left"/> and <paramref name="right"/> (each <c>[H, W]</c>) beside each other, top-aligned.</summary>
    public static Tensor SideBySide(Tensor left, Tensor right, int gap = 8, double background = 1.0)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        using var scope = NewDisposeScope();
        long height = Math.Max(left.shape[0], right.shape[0]);
        using var fill = background.ToScalar();
        var canvas = full([height, left.shape[1] + gap + right.shape[1]], fill, dtype: float32);
        canvas.narrow(0, 0, left.shape[0]).narrow(1, 0, left.shape[1]).copy_(left);
        canvas.narrow(0, 0, right.shape[0]).narrow(1, left.shape[1] + gap, right.shape[1]).copy_(right);
        return canvas.MoveToOuterDisposeScope();
    }
}
