using System.Globalization;
using System.Text;
using Aem.Data;
using static TorchSharp.torch;

namespace Aem.Cli.Output;

/// <summary>Writes samples <c>[N, D]</c> as CSV (header x1..xD) or .npy, chosen by the file's extension, atomically.</summary>
internal static class SampleFile
{
    public static void Write(string path, Tensor samples, IReadOnlyList<string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(samples);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".npy":
                NpyFile.Write(path, samples);
                break;
            case ".csv":
                AtomicFile.WriteAllText(path, Csv(samples, columnNames));
                break;
            default:
                throw new UsageException($"{path}: unknown output format '{extension}'; use .csv or .npy.");
        }
    }

    private static string Csv(Tensor samples, IReadOnlyList<string>? columnNames)
    {
        using var values = samples.to(float64).cpu().contiguous();
        var flat = values.data<double>().ToArray();
        long rows = values.shape[0];
        int columns = (int)values.shape[1];
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', columnNames is { } names && names.Count == columns ? names : Enumerable.Range(1, columns).Select(c => $"x{c}")));
        for (long r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                if (c > 0) text.Append(',');
                // float32 samples: 9 significant digits reproduce them exactly.
                text.Append(flat[(r * columns) + c].ToString("G9", CultureInfo.InvariantCulture));
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
