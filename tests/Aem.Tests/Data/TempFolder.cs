using System.Globalization;
using Aem.Data;

namespace Aem.Tests.Data;

/// <summary>A fresh temporary folder, deleted on dispose, with helpers to write test files.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aem-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(params string[] parts)
    {
        string path = System.IO.Path.Combine([Path, .. parts]);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return path;
    }

    public string WriteText(string name, string text)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes rows as lines of cells joined by <paramref name="separator"/>, after an optional header line.</summary>
    public string WriteTable(string name, double[,] rows, string separator = ",", string? header = null)
    {
        var lines = new List<string>();
        if (header is not null)
        {
            lines.Add(header);
        }
        for (int r = 0; r < rows.GetLength(0); r++)
        {
            lines.Add(string.Join(separator, Enumerable.Range(0, rows.GetLength(1)).Select(c => rows[r, c].ToString("R", CultureInfo.InvariantCulture))));
        }
        return WriteText(name, string.Join("\n", lines) + "\n");
    }

    public string WriteNpy(string name, double[,] rows)
    {
        string path = File(name);
        NpyFile.Write(path, Table(path, rows));
        return path;
    }

    public static NumericTable Table(string source, double[,] rows)
    {
        int n = rows.GetLength(0), d = rows.GetLength(1);
        var values = new double[n * d];
        Buffer.BlockCopy(rows, 0, values, 0, values.Length * sizeof(double));
        return new NumericTable(source, n, d, values);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
