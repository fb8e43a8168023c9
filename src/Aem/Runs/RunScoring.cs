using System.Diagnostics;
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
    /// <param name="run">The trained run: its standardisation and Gaussian baseline are applied.</param>
    /// <param name="model">The run's model (<see cref="SavedRun.LoadModel"/>), on its device.</param>
    /// <param name="input">The rows to score, in the data's own units; read to its end, not disposed here.</param>
    /// <param name="samples">S, importance samples per conditional.</param>
    /// <param name="seed">Seeds the importance samples (the same seed as <c>aem evaluate</c> gives the same scores).</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>The blocks of scores in the file's order, computed lazily as they are enumerated.</returns>
    public static IEnumerable<ScoredBlock> Score(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        TableReader input,
        int samples,
        long seed,
        CancellationToken cancellationToken = default) =>
        Score(run, model, input, samples, seed, Shard.Whole, cancellationToken);

    /// <summary>
    /// Scores the chunks of <paramref name="input"/>'s rows that belong to <paramref name="shard"/> (every row is
    /// read; only the shard's are scored), each exactly as a whole-file scoring scores it.
    /// </summary>
    public static IEnumerable<ScoredBlock> Score(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        TableReader input,
        int samples,
        long seed,
        Shard shard,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(shard);
        CheckColumns(run, input);
        var standardizer = run.File.Standardizer;
        return Blocks(model, input, standardizer, run.File.Baseline, samples, seed, shard, cancellationToken);
    }

    /// <summary>
    /// Scores shard <paramref name="shard"/> of <paramref name="input"/>'s rows and returns it with the identity
    /// <see cref="ShardMerge"/> checks (the file's SHA-256 among it); <paramref name="scored"/> sees each block
    /// as it is scored. Write the result with <see cref="ShardFile.Write"/>.
    /// </summary>
    public static ShardResult ScoreShard(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        TableReader input,
        int samples,
        long seed,
        Shard shard,
        Action<ScoredBlock>? scored = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(input);
        var clock = Stopwatch.StartNew();
        var logP = new List<double>();
        var logQ = new List<double>();
        var ess = new List<double>();
        var bounded = new List<double>();
        var gaussian = run.File.Baseline is null ? null : new List<double>();
        foreach (var block in Score(run, model, input, samples, seed, shard, cancellationToken))
        {
            logP.AddRange(block.Scores.LogDensity);
            logQ.AddRange(block.Scores.LogProposal);
            ess.AddRange(block.Scores.MinEffectiveSampleSize);
            bounded.AddRange(block.Scores.BoundedLogDensity);
            gaussian?.AddRange(block.Gaussian!);
            scored?.Invoke(block);
        }
        if (input.RowsRead == 0) throw new DataFormatException(input.Source, "has no rows to score");
        var sampling = new Sampling(samples, seed, EnergyRows.Default, BlockRows);
        var points = new ScoredPoints(shard, input.RowsRead, new PointScores([.. logP], [.. logQ], [.. ess], [.. bounded]), null, gaussian?.ToArray())
        {
            Samples = samples,
            AvailablePoints = input.RowsRead,
            Fingerprint = CheckpointStore.Sha256(input.Source),
        };
        var header = new ShardHeader
        {
            Kind = ShardHeader.ScoreKind,
            Index = shard.Index,
            Count = shard.Count,
            Checkpoint = run.Checkpoint,
            ModelSha256 = run.ModelSha256,
            Step = run.File.State.Step,
            Data = Path.GetFullPath(input.Source),
            DataFingerprint = points.Fingerprint,
            Units = ScoreUnits.For(null, run.File.Standardizer),
            Seed = seed,
            Settings = ShardHeader.SettingsOf(sampling),
            Seconds = clock.Elapsed.TotalSeconds,
        };
        return new ShardResult(header, points);
    }

    /// <summary>The settings that shape a scoring's numbers, as a shard records them.</summary>
    private sealed record Sampling(int Samples, long Seed, long MaxRows, int BlockRows);

    private static IEnumerable<ScoredBlock> Blocks(
        AutoregressiveEnergyMachine model, TableReader input, Standardizer? standardizer, GaussianBaseline? baseline, int samples, long seed, Shard shard, CancellationToken cancellationToken)
    {
        var dtype = model.parameters().First().dtype;
        using var scorer = new PointScorer(model, samples, seed, standardizer?.LogAbsDetJacobian ?? 0);
        long firstRow = 0;
        const int chunk = (int)TestEvaluation.PointsPerChunk;
        while (input.Read(BlockRows) is { } block)
        {
            // Runs of the shard's chunks within the block: the whole block for one shard, single chunks for several.
            for (int start = 0; start < block.Rows;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(chunk, block.Rows - start);
                if (!shard.Owns((firstRow + start) / chunk))
                {
                    scorer.Skip(count);
                    start += count;
                    continue;
                }
                while (start + count < block.Rows && shard.Owns((firstRow + start + count) / chunk)) count += Math.Min(chunk, block.Rows - start - count);
                var rows = count == block.Rows ? block : block.Slice(start, count);
                PointScores scores;
                double[]? gaussian = null;
                using (var scope = NewDisposeScope())
                {
                    var values = rows.ToTensor().to(dtype);
                    var points = standardizer is null ? values : standardizer.Transform(values);
                    scores = scorer.Score(points, cancellationToken: cancellationToken);
                    if (baseline is not null)
                    {
                        double offset = standardizer?.LogAbsDetJacobian ?? 0;
                        gaussian = baseline.LogProb(points).data<double>().ToArray().Select(v => v + offset).ToArray();
                    }
                }
                yield return new ScoredBlock(firstRow + start, rows, scores) { Gaussian = gaussian };
                start += count;
            }
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
