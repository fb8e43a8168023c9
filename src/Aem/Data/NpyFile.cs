using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> arrays (format 1.0/2.0/3.0): little-endian <c>&lt;f4</c>,
/// <c>&lt;f8</c>, <c>&lt;i4</c>, <c>&lt;i8</c>, C order, shape <c>[N, D]</c> or <c>[N]</c> (read as
/// <c>[N, 1]</c>). Writes go to a temporary file that is then renamed, so a reader never sees half a file.
/// </summary>
public static class NpyFile
{
    /// <summary>Reads a 1-D or 2-D numeric array as a float64 table; throws <see cref="DataFormatException"/> on bad input.</summary>
    /// <param name="path">A <c>.npy</c> file.</param>
    /// <returns>A <c>[N, D]</c> table (a 1-D array gives D = 1) without column names.</returns>
    /// <exception cref="DataFormatException">The file is missing or unreadable, not a supported array, truncated, too large, or holds a non-finite value (named by row and column).</exception>
    public static NumericTable Read(string path)
    {
        using var stream = TextFiles.OpenRead(path);
        try
        {
            var header = NpyHeader.Read(stream, path);
            var (rows, columns) = Shape(header, path);
            int itemSize = ItemSize(header.Descr, path);
            long expected = rows * columns * itemSize;
            long available = stream.Length - stream.Position;
            if (available < expected)
            {
                throw new DataFormatException(path, $"truncated: the header promises [{rows}, {columns}] '{header.Descr}' ({expected} bytes of data) but {available} bytes follow");
            }
            if (available > expected)
            {
                throw new DataFormatException(path, $"corrupt: {available - expected} bytes follow the [{rows}, {columns}] array");
            }
            if (expected > Array.MaxLength)
            {
                throw new DataFormatException(path, $"[{rows}, {columns}] is too large to load at once");
            }
            var values = ReadValues(stream, header.Descr, (int)(rows * columns), path);
            CheckFinite(values, (int)columns, path);
            return new NumericTable(path, (int)rows, (int)columns, values);
        }
        catch (IOException e)
        {
            throw TextFiles.ReadFailed(path, e);
        }
    }

    /// <summary>Writes a float32 (<c>&lt;f4</c>) or float64 (<c>&lt;f8</c>) tensor of shape <c>[N]</c> or <c>[N, D]</c>.</summary>
    /// <param name="path">The file to create or replace (written under a temporary name, then renamed).</param>
    /// <param name="data">The values, on any device.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is not 1-D or 2-D, or not float32 or float64.</exception>
    public static void Write(string path, Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dim() is < 1 or > 2)
        {
            throw new ArgumentException($"Expected a 1-D or 2-D tensor, got shape [{string.Join(", ", data.shape)}].", nameof(data));
        }
        using var cpu = data.cpu().contiguous();
        byte[] bytes = data.dtype switch
        {
            ScalarType.Float32 => MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray(),
            ScalarType.Float64 => MemoryMarshal.AsBytes(cpu.data<double>().ToArray().AsSpan()).ToArray(),
            _ => throw new ArgumentException($"Only float32 and float64 tensors can be written, not {data.dtype}.", nameof(data)),
        };
        string descr = data.dtype == ScalarType.Float32 ? "<f4" : "<f8";
        WriteAtomically(path, new NpyHeader(descr, false, data.shape), bytes);
    }

    /// <summary>Writes a table as float64 (<c>&lt;f8</c>) <c>[Rows, Columns]</c>.</summary>
    /// <param name="path">The file to create or replace (written under a temporary name, then renamed).</param>
    /// <param name="table">The values; column names are not stored (.npy has no place for them).</param>
    public static void Write(string path, NumericTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var bytes = MemoryMarshal.AsBytes(table.Values.AsSpan()).ToArray();
        WriteAtomically(path, new NpyHeader("<f8", false, [table.Rows, table.Columns]), bytes);
    }

    internal static void WriteAtomically(string path, NpyHeader header, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
        }
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(header.Format());
                stream.Write(data);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static (long Rows, long Columns) Shape(NpyHeader header, string path)
    {
        if (header.FortranOrder)
        {
            throw new DataFormatException(path, "the array is in Fortran (column-major) order; save it in C order, e.g. np.save(path, np.ascontiguousarray(a))");
        }
        var shape = header.Shape;
        if (shape.Length is < 1 or > 2)
        {
            string what = shape.Length == 0 ? "a scalar" : $"a {shape.Length}-D array ({string.Join(", ", shape)})";
            throw new DataFormatException(path, $"holds {what}; expected a 2-D array [N, D] or a 1-D array [N]");
        }
        long rows = shape[0], columns = shape.Length == 2 ? shape[1] : 1;
        if (rows == 0 || columns == 0)
        {
            throw new DataFormatException(path, $"the array [{string.Join(", ", shape)}] is empty");
        }
        return (rows, columns);
    }

    private static int ItemSize(string descr, string path)
    {
        if (descr.Length == 3 && descr[0] == '=' && BitConverter.IsLittleEndian)
        {
            descr = "<" + descr[1..];
        }
        return descr switch
        {
            "<f8" or "<i8" => 8,
            "<f4" or "<i4" => 4,
            _ when descr.StartsWith('>') => throw new DataFormatException(path, $"big-endian dtype '{descr}' is not supported; save as little-endian '<{descr[1..]}'"),
            _ => throw new DataFormatException(path, $"dtype '{descr}' is not supported; use float32 '<f4' or float64 '<f8' (or integers '<i4', '<i8')"),
        };
    }

    private static double[] ReadValues(Stream stream, string descr, int count, string path)
    {
        var values = new double[count];
        switch (descr[1..])
        {
            case "f8":
                Fill(stream, MemoryMarshal.AsBytes(values.AsSpan()), path);
                break;
            case "i8":
                Fill(stream, MemoryMarshal.AsBytes(values.AsSpan()), path);
                var longs = MemoryMarshal.Cast<double, long>(values.AsSpan());
                for (int i = 0; i < count; i++)
                {
                    values[i] = longs[i];
                }
                break;
            case "f4":
            {
                var floats = new float[count];
                Fill(stream, MemoryMarshal.AsBytes(floats.AsSpan()), path);
                for (int i = 0; i < count; i++)
                {
                    values[i] = floats[i];
                }
                break;
            }
            default:
            {
                var ints = new int[count];
                Fill(stream, MemoryMarshal.AsBytes(ints.AsSpan()), path);
                for (int i = 0; i < count; i++)
                {
                    values[i] = ints[i];
                }
                break;
            }
        }
        return values;
    }

    private static void Fill(Stream stream, Span<byte> buffer, string path)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw new DataFormatException(path, "truncated: the data ends early");
        }
    }

    internal static void CheckFinite(ReadOnlySpan<double> values, int columns, string path, long firstRow = 0)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new DataFormatException(path, (int)Math.Min(int.MaxValue, firstRow + (i / columns) + 1), (i % columns) + 1,
                    $"{values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a finite number");
            }
        }
    }

    /// <summary>The rows of an .npy file, read a block at a time after its header is checked.</summary>
    internal sealed class NpyRows
    {
        private readonly Stream stream;
        private readonly string path;
        private readonly string descr;

        public NpyRows(Stream stream, string path)
        {
            this.stream = stream;
            this.path = path;
            var header = NpyHeader.Read(stream, path);
            (Rows, long columns) = Shape(header, path);
            Columns = (int)columns;
            descr = header.Descr;
            long expected = Rows * columns * ItemSize(descr, path);
            long available = stream.Length - stream.Position;
            if (available < expected)
            {
                throw new DataFormatException(path, $"truncated: the header promises [{Rows}, {columns}] '{descr}' ({expected} bytes of data) but {available} bytes follow");
            }
            if (available > expected)
            {
                throw new DataFormatException(path, $"corrupt: {available - expected} bytes follow the [{Rows}, {columns}] array");
            }
        }

        public long Rows { get; }

        public int Columns { get; }

        private long done;

        public NumericTable? Read(int maxRows)
        {
            int rows = (int)Math.Min(maxRows, Rows - done);
            if (rows <= 0) return null;
            var values = ReadValues(stream, descr, checked(rows * Columns), path);
            CheckFinite(values, Columns, path, done);
            done += rows;
            return new NumericTable(path, rows, Columns, values);
        }
    }
}
