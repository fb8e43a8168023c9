using Aem.Runtime;
using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// Per-column affine standardisation <c>z = (x − mean) / scale</c>, fitted on training data and stored
/// in checkpoints so that evaluation and sampling work in the original units.
/// </summary>
/// <param name="Mean">Per-column mean, length D, in data units.</param>
/// <param name="Scale">Per-column standard deviation, length D, in data units (positive).</param>
public sealed record Standardizer(double[] Mean, double[] Scale)
{
    /// <summary>
    /// Fits column means and (population) standard deviations of <paramref name="data"/> <c>[N, D]</c>.
    /// A constant column cannot be standardised and is refused.
    /// </summary>
    public static Standardizer Fit(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var x = data.to(float64);
        var constant = x.amax([0]).eq(x.amin([0])).data<bool>().ToArray();
        int column = Array.IndexOf(constant, true);
        if (column >= 0)
        {
            throw new ArgumentException($"Column {column + 1} is constant and cannot be standardised; drop it.", nameof(data));
        }
        var mean = x.mean([0]);
        var std = (x - mean).pow(Scalars.Two).mean([0]).sqrt();
        return new Standardizer(mean.data<double>().ToArray(), std.data<double>().ToArray());
    }

    /// <summary>
    /// Fits the first <paramref name="rows"/> rows of <paramref name="table"/>, with the population
    /// (<c>ddof = 0</c>) or sample (<c>ddof = 1</c>) standard deviation; refuses constant columns,
    /// naming them. <paramref name="split"/> names the rows fitted, for the message.
    /// </summary>
    internal static Standardizer Fit(NumericTable table, int rows, int ddof, string split)
    {
        int d = table.Columns;
        var mean = new double[d];
        var min = Enumerable.Repeat(double.PositiveInfinity, d).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, d).ToArray();
        for (int r = 0; r < rows; r++)
        {
            var row = table.Row(r);
            for (int c = 0; c < d; c++)
            {
                mean[c] += row[c];
                min[c] = Math.Min(min[c], row[c]);
                max[c] = Math.Max(max[c], row[c]);
            }
        }
        for (int c = 0; c < d; c++)
        {
            if (rows > 0 && min[c] == max[c])
            {
                throw new DataFormatException(table.Source, null, c + 1,
                    $"{(table.ColumnNames is { } names && names[c].Length > 0 ? $"'{names[c]}'" : "the column")} is constant ({min[c].ToString(System.Globalization.CultureInfo.InvariantCulture)}) in the {split} and cannot be standardised; drop it");
            }
            mean[c] /= rows;
        }
        var scale = new double[d];
        for (int r = 0; r < rows; r++)
        {
            var row = table.Row(r);
            for (int c = 0; c < d; c++)
            {
                double centred = row[c] - mean[c];
                scale[c] += centred * centred;
            }
        }
        for (int c = 0; c < d; c++)
        {
            scale[c] = Math.Sqrt(scale[c] / (rows - ddof));
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>The identity transform for <paramref name="features"/> columns.</summary>
    public static Standardizer Identity(int features) =>
        new(Enumerable.Repeat(0.0, features).ToArray(), Enumerable.Repeat(1.0, features).ToArray());

    /// <summary>D, the number of columns the statistics are for.</summary>
    public int Features => Mean.Length;

    /// <summary>log |det ∂z/∂x| = −Σ log scale: add it to a log-density of z to get one of x.</summary>
    public double LogAbsDetJacobian => -Scale.Sum(Math.Log);

    /// <summary>
    /// z = (x − mean) / scale, column by column: data units to the standardised units the model works in.
    /// <paramref name="x"/> is <c>[N, D]</c>; the result has its shape, dtype and device (a new tensor).
    /// </summary>
    public Tensor Transform(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var (mean, scale) = Tensors(x);
        return ((x - mean) / scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x = z · scale + mean, column by column: standardised units back to data units (e.g. for samples).
    /// <paramref name="z"/> is <c>[N, D]</c>; the result has its shape, dtype and device (a new tensor).
    /// </summary>
    public Tensor Inverse(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        var (mean, scale) = Tensors(z);
        return (z * scale).add(mean, Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Standardises <paramref name="table"/> in float64, in place.</summary>
    internal void TransformInPlace(NumericTable table)
    {
        if (table.Columns != Features)
        {
            throw new ArgumentException($"{table.Columns} columns, expected {Features}.", nameof(table));
        }
        var values = table.Values;
        for (int i = 0; i < values.Length; i++)
        {
            int c = i % Features;
            values[i] = (values[i] - Mean[c]) / Scale[c];
        }
    }

    /// <summary>Keeps the statistics of the 0-based <paramref name="columns"/>.</summary>
    internal Standardizer SelectColumns(IReadOnlyList<int> columns) =>
        new(columns.Select(c => Mean[c]).ToArray(), columns.Select(c => Scale[c]).ToArray());

    private (Tensor Mean, Tensor Scale) Tensors(Tensor like) =>
        (tensor(Mean, dtype: like.dtype, device: like.device), tensor(Scale, dtype: like.dtype, device: like.device));
}
