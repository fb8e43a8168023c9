namespace Aem.Data;

/// <summary>
/// A procedurally drawn test image standing in for the paper's Einstein photograph (which we have no
/// rights to ship): sharp edges and fine detail in one picture — a zone plate (rings that get finer
/// outwards), checker patches of 32, 16, 8 and 4 pixels, letter-like strokes "AEM", filled shapes,
/// outlines and a grey-level ramp, on a faint background so that the density is positive everywhere.
/// </summary>
internal static class BuiltInImage
{
    private const double Background = 0.03;

    // Letter strokes as polylines in a unit glyph box (x right, y down).
    private static readonly (double X, double Y)[][] LetterA = [[(0, 1), (0.5, 0), (1, 1)], [(0.25, 0.55), (0.75, 0.55)]];
    private static readonly (double X, double Y)[][] LetterE = [[(1, 0), (0, 0), (0, 1), (1, 1)], [(0, 0.5), (0.8, 0.5)]];
    private static readonly (double X, double Y)[][] LetterM = [[(0, 1), (0, 0), (0.5, 0.6), (1, 0), (1, 1)]];

    /// <summary>Intensities in [0, 1], <c>[size, size]</c>, row 0 at the top.</summary>
    public static double[,] Render(int size = ImageDensity.Resolution)
    {
        var image = new double[size, size];
        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                // Pixel centre in image units: u to the right, v downwards.
                double u = (column + 0.5) / size, v = (row + 0.5) / size;
                image[row, column] = Intensity(u, v, column * 512 / size, row * 512 / size);
            }
        }
        return image;
    }

    private static double Intensity(double u, double v, int column512, int row512)
    {
        double value = Background;
        value = Math.Max(value, ZonePlate(u, v));
        value = Math.Max(value, Checkers(u, v, column512, row512));
        value = Math.Max(value, Letters(u, v));
        value = Math.Max(value, Shapes(u, v));
        if (u is >= 0.05 and <= 0.95 && v is >= 0.89 and <= 0.96)
        {
            value = Math.Max(value, 0.05 + (0.9 * (u - 0.05) / 0.9));
        }
        return value;
    }

    /// <summary>Binary rings cos(20π ρ²/R²) &gt; 0 inside radius R: ten rings, the outer ones about 5 pixels apart.</summary>
    private static double ZonePlate(double u, double v)
    {
        const double radius = 0.2;
        double rho2 = ((u - 0.25) * (u - 0.25)) + ((v - 0.25) * (v - 0.25));
        if (rho2 > radius * radius)
        {
            return 0;
        }
        return Math.Cos(20 * Math.PI * rho2 / (radius * radius)) > 0 ? 1.0 : 0.1;
    }

    /// <summary>Four checker patches (2×2 layout) with cells of 32, 16, 8 and 4 pixels.</summary>
    private static double Checkers(double u, double v, int column, int row)
    {
        if (u is < 0.55 or >= 0.95 || v is < 0.05 or >= 0.45)
        {
            return 0;
        }
        int patch = (u < 0.75 ? 0 : 1) + (v < 0.25 ? 0 : 2);
        int cell = 32 >> patch;
        return ((column / cell) + (row / cell)) % 2 == 0 ? 0.9 : 0.15;
    }

    private static double Letters(double u, double v)
    {
        const double top = 0.58, height = 0.22, width = 0.12, halfStroke = 0.008;
        (double Left, (double X, double Y)[][] Strokes)[] glyphs = [(0.06, LetterA), (0.21, LetterE), (0.36, LetterM)];
        foreach (var (left, strokes) in glyphs)
        {
            foreach (var line in strokes)
            {
                for (int k = 1; k < line.Length; k++)
                {
                    var a = (left + (line[k - 1].X * width), top + (line[k - 1].Y * height));
                    var b = (left + (line[k].X * width), top + (line[k].Y * height));
                    if (SegmentDistance(u, v, a, b) <= halfStroke)
                    {
                        return 1.0;
                    }
                }
            }
        }
        return 0;
    }

    private static double Shapes(double u, double v)
    {
        double disc = Hypot(u - 0.65, v - 0.63);
        if (disc <= 0.07)
        {
            return 0.6;
        }
        double ring = Hypot(u - 0.87, v - 0.81);
        if (Math.Abs(ring - 0.05) <= 0.006)
        {
            return 0.8;
        }
        if (InsideTriangle(u, v, (0.80, 0.55), (0.94, 0.55), (0.87, 0.72)))
        {
            return 0.85;
        }
        bool inOuter = u is >= 0.60 and <= 0.74 && v is >= 0.73 and <= 0.85;
        bool inInner = u is > 0.61 and < 0.73 && v is > 0.74 and < 0.84;
        return inOuter && !inInner ? 1.0 : 0;
    }

    private static double Hypot(double x, double y) => Math.Sqrt((x * x) + (y * y));

    private static double SegmentDistance(double u, double v, (double X, double Y) a, (double X, double Y) b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        double t = Math.Clamp((((u - a.X) * dx) + ((v - a.Y) * dy)) / ((dx * dx) + (dy * dy)), 0, 1);
        return Hypot(u - (a.X + (t * dx)), v - (a.Y + (t * dy)));
    }

    private static bool InsideTriangle(double u, double v, (double X, double Y) a, (double X, double Y) b, (double X, double Y) c)
    {
        static double Cross((double X, double Y) p, (double X, double Y) q, double u, double v) =>
            ((q.X - p.X) * (v - p.Y)) - ((q.Y - p.Y) * (u - p.X));
        double d1 = Cross(a, b, u, v), d2 = Cross(b, c, u, v), d3 = Cross(c, a, u, v);
        return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
    }
}
