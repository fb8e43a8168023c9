using System.Globalization;
using System.Text;
using Aem.Data;
using Aem.Evaluation;
using Aem.Runs;

namespace Aem.Cli.Output;

/// <summary>
/// The per-row output of <c>aem score</c>, written as the rows stream past: CSV with the header
/// <c>row,log_likelihood,log_proposal,min_ess,bounded_log_likelihood[,gaussian_log_likelihood]</c>, or a float64
/// <c>.npy</c> <c>[N, 5 or 6]</c> with the same columns (row numbers 1-based, in the input's order; the last
/// column when the run has a Gaussian baseline).
/// </summary>
internal abstract class ScoreFile : IDisposable
{
    public const string Columns = "row,log_likelihood,log_proposal,min_ess,bounded_log_likelihood";

    public const string GaussianColumn = "gaussian_log_likelihood";

    /// <summary>Opens <paramref name="path"/> for writing by its extension (.csv or .npy), with the Gaussian column if <paramref name="gaussian"/>.</summary>
    public static ScoreFile Create(string path, bool gaussian)
    {
        CheckFormat(path);
        return Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? new Csv(path, gaussian) : new Npy(path, gaussian);
    }

    /// <summary>Refuses an output path whose extension names no format this file has.</summary>
    public static void CheckFormat(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".npy")) throw new UsageException($"{path}: unknown output format '{extension}'; use .csv or .npy.");
    }

    public void Write(ScoredBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        Write(block.FirstRow, block.Scores, block.Gaussian);
    }

    /// <summary>Writes the scores of the rows from 0-based <paramref name="firstRow"/> on.</summary>
    public abstract void Write(long firstRow, PointScores scores, double[]? gaussian);

    /// <summary>Finishes the file (all rows written).</summary>
    public abstract void Complete();

    public abstract void Dispose();

    private sealed class Csv : ScoreFile
    {
        private readonly StreamWriter writer;

        public Csv(string path, bool gaussian)
        {
            writer = new StreamWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write), new UTF8Encoding(false));
            writer.WriteLine(gaussian ? $"{Columns},{GaussianColumn}" : Columns);
        }

        public override void Write(long firstRow, PointScores s, double[]? gaussian)
        {
            var line = new StringBuilder();
            for (int i = 0; i < s.Count; i++)
            {
                line.Clear();
                // Round-trip precision: the file is data for further analysis.
                line.Append(CultureInfo.InvariantCulture, $"{firstRow + i + 1},{s.LogDensity[i]:R},{s.LogProposal[i]:R},{s.MinEffectiveSampleSize[i]:G6},{s.BoundedLogDensity[i]:R}");
                if (gaussian is { } g) line.Append(CultureInfo.InvariantCulture, $",{g[i]:R}");
                writer.WriteLine(line);
            }
        }

        public override void Complete()
        {
            writer.Flush();
            ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
        }

        public override void Dispose() => writer.Dispose();
    }

    private sealed class Npy(string path, bool gaussian) : ScoreFile
    {
        private readonly int width = gaussian ? 6 : 5;
        private readonly NpyWriter writer = NpyWriter.Create(path, gaussian ? 6 : 5);

        public override void Write(long firstRow, PointScores s, double[]? gaussian)
        {
            var values = new double[s.Count * width];
            for (int i = 0; i < s.Count; i++)
            {
                var row = values.AsSpan(i * width, width);
                row[0] = firstRow + i + 1;
                row[1] = s.LogDensity[i];
                row[2] = s.LogProposal[i];
                row[3] = s.MinEffectiveSampleSize[i];
                row[4] = s.BoundedLogDensity[i];
                if (width == 6) row[5] = gaussian![i];
            }
            writer.Append(values);
        }

        public override void Complete() => writer.Complete();

        public override void Dispose() => writer.Dispose();
    }
}
