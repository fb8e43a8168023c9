namespace Aem.Data;

/// <summary>
/// Writes a float64 <c>.npy</c> array <c>[N, columns]</c> a block of rows at a time, for outputs too long to
/// hold in memory: the header is written first with room for any row count and rewritten with the real one
/// by <see cref="Complete"/>. Write to a temporary name and rename after <see cref="Complete"/> to make the
/// file appear whole or not at all.
/// </summary>
public sealed class NpyWriter : IDisposable
{
    private readonly FileStream stream;
    private readonly int columns;
    private readonly int headerLength;
    private long rows;
    private bool completed;

    private NpyWriter(FileStream stream, int columns)
    {
        this.stream = stream;
        this.columns = columns;
        var placeholder = Header(long.MaxValue);
        headerLength = placeholder.Length;
        stream.Write(placeholder);
    }

    /// <summary>Creates <paramref name="path"/> (which must not exist) for rows of <paramref name="columns"/> values.</summary>
    public static NpyWriter Create(string path, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        try
        {
            return new NpyWriter(stream, columns);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends whole rows: <paramref name="values"/> holds a multiple of the column count, row after row.</summary>
    public void Append(ReadOnlySpan<double> values)
    {
        ObjectDisposedException.ThrowIf(completed, this);
        if (values.Length % columns != 0) throw new ArgumentException($"{values.Length} values are not whole rows of {columns}.", nameof(values));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        rows += values.Length / columns;
    }

    /// <summary>Writes the row count into the header and flushes the file to disk.</summary>
    public void Complete()
    {
        if (completed) return;
        var header = Header(rows);
        if (header.Length != headerLength) throw new InvalidOperationException("The .npy header changed length.");
        stream.Position = 0;
        stream.Write(header);
        stream.Flush(flushToDisk: true);
        completed = true;
    }

    private byte[] Header(long rowCount) => new NpyHeader("<f8", false, [rowCount, columns]).Format();

    /// <summary>Closes the file (call <see cref="Complete"/> first, or the header keeps its placeholder).</summary>
    public void Dispose() => stream.Dispose();
}
