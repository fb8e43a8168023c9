using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using Aem.Presets;
using Aem.Runs;
using Aem.Runtime;
using Aem.Sampling;
using Aem.Training;
using static TorchSharp.torch;

namespace Aem;

/// <summary>
/// A trained Autoregressive Energy Machine for tabular data, used from plain arrays in your own units:
/// fit it to rows, score rows (log-likelihood per row), draw samples, save and load it. Standardisation,
/// splitting, training settings scaled to the table, early stopping and checkpoints are handled here;
/// the tensor-level API (<see cref="Machine"/>, <see cref="Trainer{TStep, TScore}"/>) stays for experts.
/// A conditional density p(x | c) is fitted to rows and their contexts (one context row per row): it then
/// scores rows given their contexts and samples at given contexts; the context is standardised like the rows.
/// </summary>
/// <example>
/// <code>
/// using var model = AemModel.Fit(rows, new AemFitOptions { Time = TimeSpan.FromMinutes(2) });
/// double[] logLikelihood = model.LogLikelihood(newRows);
/// double[,] samples = model.Sample(1000, seed: 7);
/// model.Save("my-model");
/// using var again = AemModel.Load("my-model");
///
/// using var conditional = AemModel.Fit(rows, contexts);                          // p(x | c)
/// double[] given = conditional.LogLikelihood(newRows, newContexts);             // log p(x | c) per row
/// double[,] atContexts = conditional.Sample(new double[,] { { 1.5, -2 } }, 100); // 100 draws of x given c = (1.5, −2)
/// </code>
/// </example>
public sealed class AemModel : IDisposable
{
    private readonly string? temporaryFolder;

    private AemModel(SavedRun run, AutoregressiveEnergyMachine machine, TrainingResult<ValidationScore>? training, string? temporaryFolder)
    {
        Run = run;
        Machine = machine;
        Training = training;
        this.temporaryFolder = temporaryFolder;
    }

    /// <summary>The saved run behind the model (its record, checkpoint folder).</summary>
    public SavedRun Run { get; }

    /// <summary>The tensor-level model, in its own (standardised) units.</summary>
    public AutoregressiveEnergyMachine Machine { get; }

    /// <summary>How training went, for a model that was just fitted; null for a loaded one.</summary>
    public TrainingResult<ValidationScore>? Training { get; }

    /// <summary>
    /// How the fit used the cores — intra-op threads, one thread, or two workers of one thread, with the rates
    /// measured when <see cref="AemFitOptions.Threads"/> was not given (<see cref="ParallelismChoice.Describe"/>);
    /// null for a loaded model.
    /// </summary>
    public ParallelismChoice? Compute { get; private init; }

    /// <summary>D, values per row.</summary>
    public int Features => Machine.Options.Features;

    /// <summary>C, context values per row of a conditional model p(x | c); 0 for p(x).</summary>
    public int ContextFeatures => Machine.Options.ConditioningFeatures;

    /// <summary>The columns' names, if they were given.</summary>
    public IReadOnlyList<string>? ColumnNames => Run.File.ColumnNames;

    /// <summary>The context columns' names, if they were given.</summary>
    public IReadOnlyList<string>? ContextColumnNames => Run.File.ContextColumnNames;

    /// <summary>
    /// Fits a model to <paramref name="rows"/> <c>[N, D]</c> in your units: the rows are shuffled with the seed,
    /// <see cref="AemFitOptions.ValidationFraction"/> of them held out to choose the best model, each column
    /// standardised on the training rows, and the model trained within the step or time budget.
    /// </summary>
    /// <param name="rows">N rows of D finite values.</param>
    /// <param name="options">How to train; null: every default (table-scaled settings, the default step budget, seed 1).</param>
    /// <param name="progress">Receives the training progress every few steps (steps, losses, validation scores).</param>
    /// <param name="cancellationToken">Stops training after the current step; the best model so far is kept and returned.</param>
    /// <returns>The best model by validation score, in eval mode, with <see cref="Training"/> set. Dispose it.</returns>
    /// <exception cref="ArgumentException">The rows are empty, hold a non-finite value (named by 0-based row and column), or an option is invalid (e.g. <see cref="AemFitOptions.ValidationFraction"/> outside (0, 0.5), an unknown <see cref="AemFitOptions.Preset"/>).</exception>
    /// <exception cref="Aem.Data.DataFormatException">A column is constant on the training rows (it cannot be standardised).</exception>
    /// <exception cref="Aem.Runtime.DeviceUnavailableException"><see cref="AemFitOptions.Device"/> cannot be used.</exception>
    public static AemModel Fit(double[,] rows, AemFitOptions? options = null, IProgress<TrainingProgress<AemStep, ValidationScore>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Fit(Tables.From(rows, "rows", options?.ColumnNames), options ?? new AemFitOptions(), progress, cancellationToken);
    }

    /// <summary>Fits a model to float32 <paramref name="rows"/> <c>[N, D]</c>; the same as the <c>double[,]</c> overload after widening.</summary>
    /// <param name="rows">N rows of D finite values.</param>
    /// <param name="options">How to train; null: every default (table-scaled settings, the default step budget, seed 1).</param>
    /// <param name="progress">Receives the training progress every few steps (steps, losses, validation scores).</param>
    /// <param name="cancellationToken">Stops training after the current step; the best model so far is kept and returned.</param>
    /// <returns>The best model by validation score, in eval mode, with <see cref="Training"/> set. Dispose it.</returns>
    /// <exception cref="ArgumentException">The rows are empty, hold a non-finite value (named by 0-based row and column), or an option is invalid (e.g. <see cref="AemFitOptions.ValidationFraction"/> outside (0, 0.5), an unknown <see cref="AemFitOptions.Preset"/>).</exception>
    /// <exception cref="Aem.Data.DataFormatException">A column is constant on the training rows (it cannot be standardised).</exception>
    /// <exception cref="Aem.Runtime.DeviceUnavailableException"><see cref="AemFitOptions.Device"/> cannot be used.</exception>
    public static AemModel Fit(float[,] rows, AemFitOptions? options = null, IProgress<TrainingProgress<AemStep, ValidationScore>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Fit(Tables.From(rows, "rows", options?.ColumnNames), options ?? new AemFitOptions(), progress, cancellationToken);
    }

    /// <summary>Fits a model to <paramref name="rows"/>, each an array of D values; the same as the <c>double[,]</c> overload.</summary>
    /// <param name="rows">N rows, all of the same length D (a row of another length is refused).</param>
    /// <param name="options">How to train; null: every default (table-scaled settings, the default step budget, seed 1).</param>
    /// <param name="progress">Receives the training progress every few steps (steps, losses, validation scores).</param>
    /// <param name="cancellationToken">Stops training after the current step; the best model so far is kept and returned.</param>
    /// <returns>The best model by validation score, in eval mode, with <see cref="Training"/> set. Dispose it.</returns>
    /// <exception cref="ArgumentException">The rows are empty, hold a non-finite value (named by 0-based row and column), or an option is invalid (e.g. <see cref="AemFitOptions.ValidationFraction"/> outside (0, 0.5), an unknown <see cref="AemFitOptions.Preset"/>).</exception>
    /// <exception cref="Aem.Data.DataFormatException">A column is constant on the training rows (it cannot be standardised).</exception>
    /// <exception cref="Aem.Runtime.DeviceUnavailableException"><see cref="AemFitOptions.Device"/> cannot be used.</exception>
    public static AemModel Fit(IReadOnlyList<double[]> rows, AemFitOptions? options = null, IProgress<TrainingProgress<AemStep, ValidationScore>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Fit(Tables.From(rows, "rows", options?.ColumnNames), options ?? new AemFitOptions(), progress, cancellationToken);
    }

    /// <summary>
    /// Fits a conditional density p(x | c) to <paramref name="rows"/> <c>[N, D]</c> given <paramref name="context"/>
    /// <c>[N, C]</c>, row i's context in row i. Throws <see cref="ArgumentException"/> if the counts differ or a value is not finite.
    /// </summary>
    public static AemModel Fit(double[,] rows, double[,] context, AemFitOptions? options = null, IProgress<TrainingProgress<AemStep, ValidationScore>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(context);
        options ??= new AemFitOptions();
        var x = Tables.From(rows, "rows", options.ColumnNames);
        var c = Tables.From(context, "contexts", options.ContextColumnNames);
        return Fit(Joined(x, c), options, progress, cancellationToken, c.Columns);
    }

    /// <summary>Fits a conditional density p(x | c) to <paramref name="rows"/> <c>[N, D]</c> given <paramref name="context"/> <c>[N, C]</c>.</summary>
    public static AemModel Fit(float[,] rows, float[,] context, AemFitOptions? options = null, IProgress<TrainingProgress<AemStep, ValidationScore>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(context);
        options ??= new AemFitOptions();
        var x = Tables.From(rows, "rows", options.ColumnNames);
        var c = Tables.From(context, "contexts", options.ContextColumnNames);
        return Fit(Joined(x, c), options, progress, cancellationToken, c.Columns);
    }

    /// <summary>Loads a model saved with <see cref="Save"/>, or any run or checkpoint folder of <c>aem train</c> (a run folder gives its best checkpoint).</summary>
    /// <param name="path">A checkpoint folder (with <c>run.json</c>) or a run folder (with <c>best/</c> or <c>last/</c>).</param>
    /// <param name="device">"cpu", "cuda" or "cuda:N".</param>
    /// <returns>The model in eval mode; <see cref="Training"/> is null. Dispose it.</returns>
    /// <exception cref="Aem.Runs.CheckpointException">The folder holds no readable checkpoint: missing, truncated, modified, or of an earlier format.</exception>
    /// <exception cref="Aem.Runtime.DeviceUnavailableException"><paramref name="device"/> cannot be used.</exception>
    public static AemModel Load(string path, string device = "cpu")
    {
        var run = SavedRun.Open(path);
        return new AemModel(run, run.LoadModel(TorchRuntime.ResolveDevice(device)), null, null);
    }

    /// <summary>
    /// Writes the model to the folder <paramref name="path"/> (created if needed) as a checkpoint: <c>model.bin</c>
    /// and <c>run.json</c>, the whole record (architecture, standardisation, column names, training history).
    /// The files are written under a temporary name and renamed into place, replacing a model there.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckpointStore.Save(path, Machine, null, (files, dtype) => Run.File with { Files = files, DType = dtype, SavedAt = DateTimeOffset.UtcNow });
    }

    /// <summary>
    /// The log-likelihood of every row of <paramref name="rows"/> (your units), its log q and smallest effective
    /// sample size, with <paramref name="samples"/> importance samples per conditional placed as
    /// <paramref name="normalizer"/> says; the same rows, S, normaliser and seed give the same numbers as
    /// <c>aem score</c> and <c>aem evaluate</c>.
    /// </summary>
    /// <param name="rows">N rows of D finite values, in the units the model was fitted in.</param>
    /// <param name="samples">S, importance samples per conditional (the paper evaluates with 20,000; more is slower and more accurate).</param>
    /// <param name="seed">Seeds the importance samples.</param>
    /// <param name="normalizer">How each conditional's samples are placed (see docs/normalizers.md).</param>
    /// <returns>Per-row scores in nats, in the rows' order, with the standardisation's log |det| added (your units).</returns>
    /// <exception cref="ArgumentException">The rows are empty, hold a non-finite value, or do not have <see cref="Features"/> columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is below 1.</exception>
    public RowScores Score(double[,] rows, int samples = 1000, long seed = 1, NormalizerEstimator normalizer = NormalizerEstimator.Iid)
    {
        ArgumentNullException.ThrowIfNull(rows);
        RequireContext(given: false);
        return ScoreTable(Tables.From(rows, "rows", null), samples, seed, normalizer);
    }

    /// <summary>
    /// Per-row scores of a conditional model, log p(x | c), with row i of <paramref name="rows"/> <c>[N, D]</c>
    /// given row i of <paramref name="context"/> <c>[N, C]</c> (your units); otherwise as <see cref="Score(double[,], int, long, NormalizerEstimator)"/>.
    /// </summary>
    public RowScores Score(double[,] rows, double[,] context, int samples = 1000, long seed = 1, NormalizerEstimator normalizer = NormalizerEstimator.Iid)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(context);
        RequireContext(given: true);
        var c = Tables.From(context, "contexts", null);
        if (c.Columns != ContextFeatures) throw new ArgumentException($"The contexts have {c.Columns} values each, but the model is conditioned on {ContextFeatures}.", nameof(context));
        var x = Tables.From(rows, "rows", null);
        if (x.Columns != Features) throw new ArgumentException($"The rows have {x.Columns} values each, but the model has {Features} columns.", nameof(rows));
        return ScoreTable(Joined(x, c), samples, seed, normalizer);
    }

    /// <summary>The rows' log-likelihoods log p̂(x) in nats and your units: <see cref="RowScores.LogLikelihood"/> of <see cref="Score(double[,], int, long, NormalizerEstimator)"/>.</summary>
    /// <param name="rows">N rows of D finite values.</param>
    /// <param name="samples">S, importance samples per conditional.</param>
    /// <param name="seed">Seeds the importance samples.</param>
    /// <param name="normalizer">How each conditional's samples are placed.</param>
    /// <exception cref="ArgumentException">As <see cref="Score(double[,], int, long, NormalizerEstimator)"/>.</exception>
    public double[] LogLikelihood(double[,] rows, int samples = 1000, long seed = 1, NormalizerEstimator normalizer = NormalizerEstimator.Iid) =>
        Score(rows, samples, seed, normalizer).LogLikelihood;

    /// <summary>The rows' log-likelihoods given their contexts, log p(x | c) (see <see cref="Score(double[,], double[,], int, long, NormalizerEstimator)"/>).</summary>
    public double[] LogLikelihood(double[,] rows, double[,] context, int samples = 1000, long seed = 1, NormalizerEstimator normalizer = NormalizerEstimator.Iid) =>
        Score(rows, context, samples, seed, normalizer).LogLikelihood;

    /// <summary>
    /// <paramref name="count"/> samples <c>[count, D]</c> in your units, by sampling–importance–resampling
    /// among <paramref name="proposalSamples"/> proposal samples per dimension (the paper's 100).
    /// </summary>
    /// <param name="count">Samples to draw (0 gives an empty array).</param>
    /// <param name="seed">Seeds every draw; the same seed gives the same samples.</param>
    /// <param name="proposalSamples">Proposal samples per dimension to resample among; more is closer to the model.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public double[,] Sample(int count, long seed = 1, int proposalSamples = ImportanceResampler.DefaultProposalSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        RequireContext(given: false);
        return Draw(count, null, seed, proposalSamples);
    }

    /// <summary>
    /// <paramref name="countPerContext"/> samples of a conditional model's x for each row of
    /// <paramref name="context"/> <c>[R, C]</c> (your units), by sampling–importance–resampling: <c>[R·n, D]</c>,
    /// rows <c>r·n .. r·n + n − 1</c> drawn given context row r.
    /// </summary>
    public double[,] Sample(double[,] context, int countPerContext, long seed = 1, int proposalSamples = ImportanceResampler.DefaultProposalSamples)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(countPerContext);
        RequireContext(given: true);
        var c = Tables.From(context, "contexts", null);
        if (c.Columns != ContextFeatures) throw new ArgumentException($"The contexts have {c.Columns} values each, but the model is conditioned on {ContextFeatures}.", nameof(context));
        return Draw(countPerContext, c, seed, proposalSamples);
    }

    private double[,] Draw(int count, NumericTable? context, long seed, int proposalSamples)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed, Machine.parameters().First().device);
        var samples = RunSampling.Sample(Run, Machine, count, context, generator, proposalSamples);
        using var cpu = samples.to(float64).cpu().contiguous();
        var values = cpu.data<double>().ToArray();
        var result = new double[samples.shape[0], Features];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }

    /// <summary>Releases the model and removes its temporary run folder, if it has one.</summary>
    public void Dispose()
    {
        Machine.Dispose();
        if (temporaryFolder is not null && Directory.Exists(temporaryFolder)) Directory.Delete(temporaryFolder, recursive: true);
    }

    /// <summary>The rows beside their contexts, <c>[x | c]</c>, refusing tables of different lengths.</summary>
    private static NumericTable Joined(NumericTable rows, NumericTable context)
    {
        if (context.Rows != rows.Rows) throw new ArgumentException($"There are {rows.Rows} rows but {context.Rows} contexts; give one context row for each row.", nameof(context));
        return rows.Beside(context);
    }

    private void RequireContext(bool given)
    {
        if (given && ContextFeatures == 0) throw new ArgumentException("This model has no context (it models p(x)); call the overload without contexts.");
        if (!given && ContextFeatures > 0) throw new ArgumentException($"This model is conditioned on {Plural.Of(ContextFeatures, "context value")} per row (p(x | c)); pass the contexts.");
    }

    private RowScores ScoreTable(NumericTable table, int samples, long seed, NormalizerEstimator normalizer)
    {
        if (table.Columns != Machine.Options.RowFeatures) throw new ArgumentException($"The rows have {Plural.Of(table.Columns, "value")} each, but the model has {Plural.Of(Features, "column")}.", nameof(table));
        var standardizer = Run.File.RowStandardizer();
        using var scorer = new PointScorer(Machine, samples, seed, Run.File.Standardizer?.LogAbsDetJacobian ?? 0, normalizer: normalizer);
        using var scope = NewDisposeScope();
        var rows = table.ToTensor().to(Machine.parameters().First().dtype);
        var scores = scorer.Score(standardizer is null ? rows : standardizer.Transform(rows));
        return new RowScores(scores.LogDensity, scores.LogProposal, scores.MinEffectiveSampleSize, scores.BoundedLogDensity);
    }

    private static AemModel Fit(NumericTable table, AemFitOptions options, IProgress<TrainingProgress<AemStep, ValidationScore>>? progress, CancellationToken cancellationToken, int contextFeatures = 0)
    {
        if (!(options.ValidationFraction > 0 && options.ValidationFraction < 0.5)) throw new ArgumentException($"ValidationFraction must be in (0, 0.5) (got {options.ValidationFraction}).", nameof(options));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var device = TorchRuntime.ResolveDevice(options.Device);
        int cores = TorchRuntime.SetThreads(options.Threads ?? TorchRuntime.FreeCores());
        var splits = UserData.Split(table, (int)options.Seed, options.Standardize, options.ValidationFraction, contextFeatures);
        using var data = splits.ToDataSet("rows");
        var settings = Settings(options, splits.Train.Rows, data.Features);
        settings = settings with { Model = settings.Model with { ConditioningFeatures = contextFeatures } };
        var training = settings.Training with { Seed = options.Seed, Patience = options.Patience ?? settings.Training.Patience };
        // As `aem train` does: given no thread count, time the ways to use the cores and keep the fastest.
        var compute = options.Threads is null
            ? TrainingParallelism.Choose(settings.Model, device, training, settings.Objective, data.Train, cores)
            : new ParallelismChoice(cores, 1, null, null);
        TorchRuntime.SetTrainingWorkers(compute.Workers);
        bool fitToTime = options.Time is not null && options.Steps is null;
        if (fitToTime)
        {
            var time = options.Time!.Value;
            var plan = TimeBudget.Plan(settings.Model, device, training, settings.Objective, data.Train, data.Validation, time - clock.Elapsed > TimeSpan.FromSeconds(1) ? time - clock.Elapsed : TimeSpan.FromSeconds(1));
            int most = TableDefaults.MostSteps(splits.Train.Rows, training.BatchSize);
            if (options.Preset is null && plan.Steps > most)
            {
                // A budget is a limit, not a target, on a small table: filling it meant thousands of epochs.
                fitToTime = false;
                training = training with { Steps = most, ValidateEvery = TableDefaults.For(splits.Train.Rows, data.Features, most).Training.ValidateEvery };
                var left = time - clock.Elapsed;
                training = training with { MaxDuration = left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1) };
            }
            else
            {
                training = training with { Steps = plan.Steps, ValidateEvery = plan.ValidateEvery, WarmupSteps = Math.Min(training.WarmupSteps, plan.Steps / 50) };
            }
        }
        TrainingRun.CheckData(data, settings.Model);
        var record = new RunFile
        {
            DataName = $"{table.Rows:N0} rows given in memory",
            PresetName = options.Preset ?? TableDefaults.Name,
            ColumnNames = options.ColumnNames ?? data.ColumnNames,
            ContextColumnNames = contextFeatures > 0 ? options.ContextColumnNames ?? data.ContextColumnNames : null,
            Model = settings.Model,
            Training = training,
            Objective = settings.Objective with { LogAbsDetJacobian = data.Standardizer?.LogAbsDetJacobian ?? 0 },
            Standardizer = data.Standardizer,
            ContextStandardizer = data.ContextStandardizer,
            Baseline = GaussianBaseline.Fit(data.Train, contextFeatures),
        };
        string? temporary = options.RunFolder is null ? Directory.CreateTempSubdirectory("aem-fit-").FullName : null;
        string folder = options.RunFolder ?? temporary!;
        try
        {
            TrainingResult<ValidationScore> result;
            using (var run = TrainingRun.Start(folder, record, device, replace: temporary is not null))
            {
                // The time budget covers the whole fit: what the split and the speed probe took is spent.
                var left = fitToTime ? options.Time!.Value - clock.Elapsed : (TimeSpan?)null;
                result = run.Train(data, progress, left is { } l && l < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left, cancellationToken: cancellationToken);
            }
            var saved = SavedRun.Open(folder);
            return new AemModel(saved, saved.LoadModel(device), result, temporary) { Compute = compute };
        }
        catch
        {
            if (temporary is not null) Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    private static AemSettings Settings(AemFitOptions options, int trainRows, int columns)
    {
        var basis = options.Preset is { } name ? SettingsBasis.Of(Preset.Get(name), columns) : SettingsBasis.ForTable(trainRows, columns);
        var settings = basis.For(options.Steps ?? basis.DefaultSteps);
        // A paper preset's batch can exceed a small table.
        return settings with { Training = settings.Training with { BatchSize = Math.Min(settings.Training.BatchSize, trainRows) } };
    }
}
