using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using Aem.Runtime;
using static TorchSharp.torch;

namespace Aem.Runs;

/// <summary>
/// Scores every row of a data file under a trained run, streaming: rows are read a block at a time,
/// moved into the model's units with the run's own standardisation, scored by <see cref="PointScorer"/>
/// (the scoring <c>aem evaluate</c> does, with the same seeding, so the same rows get the same scores),
/// and handed back in the file's order in the file's own units (the standardisation's log |det| added).
/// Memory stays bounded however long the file is.
/// </summary>
public static class RunScoring
{
    /// <summary>Rows read and scored at a time: a multiple of the scorer's chunk, so results do not depend on it.</summary>
    public const int BlockRows = 16 * (int)TestEvaluation.PointsPerChunk;

    /// <summary>
    /// Scores <paramref name="input"/>'s rows under <paramref name="run"/>'s <paramref name="model"/>, block by
    /// block. Throws <see cref="DataFormatException"/> (file, row, column) for a row that cannot be scored:
    /// the wrong number of columns, a non-number, a non-finite value.
    /// </summary>
    public static IEnumerable<ScoredBlock> Score(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        TableReader input,
        int samples,
        long seed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        CheckColumns(run, input);
        var standardizer = run.File.Standardizer;
        return Blocks(model, input, standardizer, run.File.Baseline, samples, seed, cancellationToken);
    }

    private static IEnumerable<ScoredBlock> Blocks(
        AutoregressiveEnergyMachine model, TableReader input, Standardizer? standardizer, GaussianBaseline? baseline, int samples, long seed, CancellationToken cancellationToken)
    {
        var dtype = model.parameters().First().dtype;
        using var scorer = new PointScorer(model, samples, seed, standardizer?.LogAbsDetJacobian ?? 0);
        long firstRow = 0;
        while (input.Read(BlockRows) is { } block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PointScores scores;
            double[]? gaussian = null;
            using (var scope = NewDisposeScope())
            {
                var rows = block.ToTensor().to(dtype);
                var points = standardizer is null ? rows : standardizer.Transform(rows);
                scores = scorer.Score(points, cancellationToken: cancellationToken);
                if (baseline is not null)
                {
                    double offset = standardizer?.LogAbsDetJacobian ?? 0;
                    gaussian = baseline.LogProb(points).data<double>().ToArray().Select(v => v + offset).ToArray();
                }
            }
            yield return new ScoredBlock(firstRow, block, scores) { Gaussian = gaussian };
            firstRow += block.Rows;
        }
    }

    /// <summary>The file must have the model's width, and, where both name their columns, the run's names in the run's order.</summary>
    private static void CheckColumns(SavedRun run, TableReader input)
    {
        int features = run.File.Model.Features;
        if (input.Columns != features)
        {
            throw new DataFormatException(input.Source, null, Math.Min(input.Columns, features) + 1,
                $"{Plural.Of(input.Columns, "column")}, but the run {run.Checkpoint} models {features}");
        }
        if (run.File.ColumnNames is { } expected && input.ColumnNames is { } names)
        {
            for (int c = 0; c < features; c++)
            {
                if (!string.Equals(expected[c], names[c], StringComparison.Ordinal))
                {
                    throw new DataFormatException(input.Source, 1, c + 1,
                        $"the header names this column '{names[c]}', but the run learned '{expected[c]}' there (columns: {string.Join(", ", expected)})");
                }
            }
        }
    }
}

/// <summary>A block of scored rows: <see cref="Rows"/> as read (data units) and their <see cref="Scores"/>.</summary>
/// <param name="FirstRow">The 0-based index in the file of the block's first data row.</param>
/// <param name="Rows">The rows as read.</param>
/// <param name="Scores">Their log-likelihoods in the file's units, log q, and smallest ESS.</param>
public sealed record ScoredBlock(long FirstRow, NumericTable Rows, PointScores Scores)
{
    /// <summary>The rows' log-likelihoods under the run's Gaussian baseline (file units), when the run has one.</summary>
    public double[]? Gaussian { get; init; }
}
