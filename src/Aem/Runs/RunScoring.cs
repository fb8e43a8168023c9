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
/// Memory stays bounded however long the file is. A conditional run scores log p̂(x | c), the context taken
/// from columns of the file or from a second file read row for row beside it.
/// </summary>
public static class RunScoring
{
    /// <summary>Rows read and scored at a time: a multiple of the scorer's chunk, so results do not depend on it.</summary>
    public const int BlockRows = 16 * (int)TestEvaluation.PointsPerChunk;

    /// <summary>
    /// Scores <paramref name="input"/>'s rows under <paramref name="run"/>'s <paramref name="model"/>, block by
    /// block. Throws <see cref="DataFormatException"/> (file, row, column) for a row that cannot be scored:
    /// the wrong number of columns, a non-number, a non-finite value. <paramref name="normalizer"/> places each
    /// conditional's samples (default: independent draws, the paper's).
    /// </summary>
    /// <param name="run">The trained run: its standardisation and Gaussian baseline are applied.</param>
    /// <param name="model">The run's model (<see cref="SavedRun.LoadModel"/>), on its device.</param>
    /// <param name="input">The rows to score, in the data's own units; read to its end, not disposed here.</param>
    /// <param name="samples">S, importance samples per conditional.</param>
    /// <param name="seed">Seeds the importance samples (the same seed as <c>aem evaluate</c> gives the same scores).</param>
    /// <param name="normalizer">How each conditional's samples are placed (default: independent draws, the paper's).</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>The blocks of scores in the file's order, computed lazily as they are enumerated.</returns>
    public static IEnumerable<ScoredBlock> Score(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        TableReader input,
        int samples,
        long seed,
        NormalizerEstimator normalizer = NormalizerEstimator.Iid,
        CancellationToken cancellationToken = default) =>
        Score(run, model, input, samples, seed, Shard.Whole, normalizer, cancellationToken);

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
        NormalizerEstimator normalizer = NormalizerEstimator.Iid,
        CancellationToken cancellationToken = default) =>
        Score(run, model, input, samples, seed, shard, contextColumns: null, contextFile: null, normalizer, cancellationToken);

    /// <summary>
    /// Scores the chunks of <paramref name="input"/>'s rows that belong to <paramref name="shard"/> (<see cref="Shard.Whole"/>:
    /// every row). Throws <see cref="DataFormatException"/> (file, row, column) for a row that cannot be scored:
    /// the wrong number of columns, a non-number, a non-finite value, a missing or surplus context. A
    /// conditional run needs its context: <paramref name="contextColumns"/> of the file (0-based indices or
    /// header names) or <paramref name="contextFile"/>, a file with one context row for each row of the input.
    /// </summary>
    public static IEnumerable<ScoredBlock> Score(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        TableReader input,
        int samples,
        long seed,
        Shard shard,
        IReadOnlyList<string>? contextColumns,
        TableReader? contextFile,
        NormalizerEstimator normalizer = NormalizerEstimator.Iid,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(shard);
        if (contextColumns is not null && contextFile is not null) throw new ArgumentException("Name the context once: columns of the file or a context file, not both.");
        var order = CheckColumns(run, input, contextColumns, contextFile);
        return Blocks(model, input, order, contextFile, run.File, samples, seed, shard, normalizer, cancellationToken);
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
        NormalizerEstimator normalizer = NormalizerEstimator.Iid,
        CancellationToken cancellationToken = default) =>
        ScoreShard(run, model, input, samples, seed, shard, contextColumns: null, contextFile: null, scored, normalizer, cancellationToken);

    /// <summary>
    /// <see cref="ScoreShard(SavedRun, AutoregressiveEnergyMachine, TableReader, int, long, Shard, Action{ScoredBlock}?, NormalizerEstimator, CancellationToken)"/>
    /// for a conditional run, its context from <paramref name="contextColumns"/> of the file or <paramref name="contextFile"/>.
    /// </summary>
    public static ShardResult ScoreShard(
        SavedRun run,
        AutoregressiveEnergyMachine model,
        TableReader input,
        int samples,
        long seed,
        Shard shard,
        IReadOnlyList<string>? contextColumns,
        TableReader? contextFile,
        Action<ScoredBlock>? scored = null,
        NormalizerEstimator normalizer = NormalizerEstimator.Iid,
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
        foreach (var block in Score(run, model, input, samples, seed, shard, contextColumns, contextFile, normalizer, cancellationToken))
        {
            logP.AddRange(block.Scores.LogDensity);
            logQ.AddRange(block.Scores.LogProposal);
            ess.AddRange(block.Scores.MinEffectiveSampleSize);
            bounded.AddRange(block.Scores.BoundedLogDensity);
            gaussian?.AddRange(block.Gaussian!);
            scored?.Invoke(block);
        }
        if (input.RowsRead == 0) throw new DataFormatException(input.Source, "has no rows to score");
        var sampling = new ScoringSettings(samples, seed, EnergyRows.Default, BlockRows, normalizer);
        var points = new ScoredPoints(shard, input.RowsRead, new PointScores([.. logP], [.. logQ], [.. ess], [.. bounded]), null, gaussian?.ToArray())
        {
            Samples = samples,
            Normalizer = normalizer,
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
    private sealed record ScoringSettings(int Samples, long Seed, long MaxRows, int BlockRows, NormalizerEstimator Normalizer);

    private static IEnumerable<ScoredBlock> Blocks(
        AutoregressiveEnergyMachine model, TableReader input, int[]? order, TableReader? contextFile, RunFile run, int samples, long seed, Shard shard,
        NormalizerEstimator normalizer, CancellationToken cancellationToken)
    {
        var dtype = model.parameters().First().dtype;
        var standardizer = run.RowStandardizer();
        // Only x's transform enters the density: the context is given, not modelled.
        double offset = run.Standardizer?.LogAbsDetJacobian ?? 0;
        var baseline = run.Baseline;
        using var scorer = new PointScorer(model, samples, seed, offset, normalizer: normalizer);
        long firstRow = 0;
        const int chunk = (int)TestEvaluation.PointsPerChunk;
        while (input.Read(BlockRows) is { } block)
        {
            // Rows [x | c] as the model reads them; a context file is read row for row, also where a shard skips.
            var packed = order is not null ? block.SelectColumns(order)
                : contextFile is not null ? block.Beside(ContextRows(contextFile, input, block.Rows))
                : block;
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
                var given = count == block.Rows ? packed : packed.Slice(start, count);
                PointScores scores;
                double[]? gaussian = null;
                using (var scope = NewDisposeScope())
                {
                    var values = given.ToTensor().to(dtype);
                    var points = standardizer is null ? values : standardizer.Transform(values);
                    scores = scorer.Score(points, cancellationToken: cancellationToken);
                    if (baseline is not null)
                    {
                        gaussian = baseline.LogProb(points).data<double>().ToArray().Select(v => v + offset).ToArray();
                    }
                }
                yield return new ScoredBlock(firstRow + start, rows, scores) { Gaussian = gaussian };
                start += count;
            }
            firstRow += block.Rows;
        }
        if (contextFile?.Read(1) is not null)
        {
            throw new DataFormatException(contextFile.Source, $"more rows than the {Plural.Of(input.RowsRead, "row")} of {input.Source}; the context file needs one row for each data row");
        }
    }

    /// <summary>The context file's next <paramref name="count"/> rows, to go beside as many rows of the input.</summary>
    private static NumericTable ContextRows(TableReader contextFile, TableReader input, int count)
    {
        var rows = contextFile.Read(count);
        if (rows is null || rows.Rows < count)
        {
            throw new DataFormatException(contextFile.Source, $"{Plural.Of(contextFile.RowsRead, "row")}, but {input.Source} has more; the context file needs one row for each data row");
        }
        return rows;
    }

    /// <summary>
    /// The file must have the model's width (with its context, if it has one), and, where both name their columns,
    /// the run's names in the run's order. Returns the column order <c>[x | c]</c> for a context in columns, else null.
    /// </summary>
    private static int[]? CheckColumns(SavedRun run, TableReader input, IReadOnlyList<string>? contextColumns, TableReader? contextFile)
    {
        int features = run.File.Model.Features, c = run.File.Model.ConditioningFeatures;
        bool given = contextColumns is not null || contextFile is not null;
        if (c == 0 && given)
        {
            throw new DataFormatException(contextFile?.Source ?? input.Source, $"a context is given, but the run {run.Checkpoint} models p(x) without one");
        }
        if (c > 0 && !given)
        {
            throw new DataFormatException(input.Source,
                $"the run {run.Checkpoint} models p(x | c) with {Plural.Of(c, "context column")}, but no context is given; name the context columns of the file or a context file");
        }
        int[]? order = null;
        var names = input.ColumnNames;
        if (contextColumns is not null)
        {
            var context = ContextColumns.Resolve(contextColumns, input.Columns, input.ColumnNames, input.Source);
            if (context.Length != c)
            {
                throw new DataFormatException(input.Source, $"{Plural.Of(context.Length, "context column")} named, but the run {run.Checkpoint} is conditioned on {c}");
            }
            order = ContextColumns.Order(input.Columns, context);
            names = names is null ? null : order.Select(i => names[i]).ToArray();
        }
        else if (contextFile is not null && contextFile.Columns != c)
        {
            throw new DataFormatException(contextFile.Source, null, Math.Min(contextFile.Columns, c) + 1,
                $"{Plural.Of(contextFile.Columns, "context column")}, but the run {run.Checkpoint} is conditioned on {c}");
        }
        int width = features + (contextColumns is not null ? c : 0);
        if (input.Columns != width)
        {
            string what = contextColumns is not null ? $"{Plural.Of(input.Columns - c, "column")} besides the context" : Plural.Of(input.Columns, "column");
            throw new DataFormatException(input.Source, null, Math.Min(input.Columns, width) + 1,
                $"{what}, but the run {run.Checkpoint} models {features}");
        }
        if (names is not null)
        {
            Compare(input.Source, run.File.ColumnNames, names.Take(features).ToArray(), order, 0);
            if (contextColumns is not null) Compare(input.Source, run.File.ContextColumnNames, names.Skip(features).ToArray(), order, features);
        }
        return order;
    }

    /// <summary>Header names against the run's, position by position; <paramref name="offset"/> places them in <paramref name="order"/>.</summary>
    private static void Compare(string source, IReadOnlyList<string>? expected, string[] names, int[]? order, int offset)
    {
        if (expected is null || expected.Count != names.Length) return;
        for (int i = 0; i < names.Length; i++)
        {
            if (!string.Equals(expected[i], names[i], StringComparison.Ordinal))
            {
                int column = (order?[offset + i] ?? (offset + i)) + 1;
                throw new DataFormatException(source, 1, column,
                    $"the header names this column '{names[i]}', but the run learned '{expected[i]}' there (columns: {string.Join(", ", expected)})");
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
