using System.Diagnostics;
using Aem.Data;
using Aem.Evaluation;
using static TorchSharp.torch;

namespace Aem.Runs;

/// <summary>
/// Evaluates a trained run on a split of its own data or of other data: loads the model and the data in
/// the model's units, reports in the units of <see cref="SavedRun.Units"/> and scores through
/// <see cref="TestEvaluation"/>, the one scoring path.
/// </summary>
public static class RunEvaluation
{
    /// <summary>Scores <paramref name="request"/>'s split under <paramref name="run"/>.</summary>
    /// <param name="run">The trained run (its best checkpoint unless opened otherwise).</param>
    /// <param name="request">Which split of which data, and how (samples, subset, seed, AEM-KDE).</param>
    /// <param name="device">Where to score (default: the CPU).</param>
    /// <param name="progress">Receives the stage and the points done.</param>
    /// <param name="cancellationToken">Stops between chunks of points.</param>
    /// <returns>The scores (nats per point, mean ± 2 SE) in <see cref="RunEvaluationReport.Units"/>, with what was scored.</returns>
    /// <exception cref="ArgumentException">The run's data cannot be loaded again and none is named, or an option is invalid.</exception>
    /// <exception cref="DataFormatException">The data cannot be read or does not have the model's columns.</exception>
    public static RunEvaluationReport Evaluate(
        SavedRun run,
        RunEvaluationRequest request,
        Device? device = null,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        var dataRequest = request.Data ?? run.File.Data;
        using var data = run.LoadData(request.Data);
        return Evaluate(run, data, dataRequest, request, device, progress, cancellationToken);
    }

    /// <summary>The true log p(x | c) of the points <see cref="TestEvaluation"/> scores (the same seeded subset), mean ± 2 SE.</summary>
    private static MeanWithError ConditionalTruth(Tensor split, TestEvaluationOptions options)
    {
        using var points = PointSubset.Take(split, options.MaxPoints, options.Seed);
        using var truth = ConditionalSine.LogDensity(points);
        return MeanWithError.OfTensor(truth);
    }

    /// <summary>Where <paramref name="split"/> comes from, in words: its own file when it has one, else the data as a whole.</summary>
    private static string? SplitSource(DataRequest? data, DataSplit split) => (split, data) switch
    {
        (_, null) => null,
        (DataSplit.Test, { TestFile: { } test }) => "file:" + Path.GetFullPath(test),
        (DataSplit.Validation, { ValidationFile: { } validation }) => "file:" + Path.GetFullPath(validation),
        _ => data.Describe(),
    };

    /// <summary>Scores a split of <paramref name="data"/>, already loaded in the model's units (as <see cref="SavedRun.LoadData"/> gives it).</summary>
    /// <param name="run">The trained run.</param>
    /// <param name="data">The three splits in the model's units; not disposed here.</param>
    /// <param name="dataRequest">The request <paramref name="data"/> was loaded from, which decides the units reported (null: the run's own data).</param>
    /// <param name="request">Which split, and how (samples, subset, seed, AEM-KDE).</param>
    /// <param name="device">Where to score (default: the CPU).</param>
    /// <param name="progress">Receives the stage and the points done.</param>
    /// <param name="cancellationToken">Stops between chunks of points.</param>
    /// <returns>The scores (nats per point, mean ± 2 SE) in <see cref="RunEvaluationReport.Units"/>, with what was scored.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static RunEvaluationReport Evaluate(
        SavedRun run,
        DataSet data,
        DataRequest? dataRequest,
        RunEvaluationRequest request,
        Device? device = null,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(request);
        var split = SplitOf(data, request.Split);
        var units = run.Units(dataRequest);
        var clock = Stopwatch.StartNew();
        using var model = run.LoadModel(device);
        var options = request.Options with { LogAbsDetJacobian = units.LogAbsDetJacobian, Baseline = request.Options.Baseline ?? run.File.Baseline };
        var scores = TestEvaluation.Run(model, split, request.Kde ? data.Validation : null, options, progress, cancellationToken);
        var truthOnPoints = dataRequest?.BuiltInName == ConditionalSine.Name ? ConditionalTruth(split, options) : null;
        return new RunEvaluationReport
        {
            Checkpoint = run.Checkpoint,
            Step = run.File.State.Step,
            Data = SplitSource(dataRequest, request.Split) ?? run.File.DataName,
            Split = request.Split,
            Units = units,
            Scores = scores,
            Truth = TruthOf(dataRequest) ?? truthOnPoints?.Mean,
            TruthOnPoints = truthOnPoints,
            Seconds = clock.Elapsed.TotalSeconds,
            Seed = request.Options.Seed,
        };
    }

    /// <summary>
    /// Scores shard <paramref name="shard"/> of <paramref name="request"/>'s split under <paramref name="run"/>: its
    /// chunks of the points, exactly as <see cref="Evaluate(SavedRun, RunEvaluationRequest, Device?, IProgress{EvaluationProgress}?, CancellationToken)"/>
    /// scores them in one process, with the identity <see cref="ShardMerge"/> checks. Write it with
    /// <see cref="ShardFile.Write"/>.
    /// </summary>
    public static ShardResult EvaluateShard(
        SavedRun run,
        RunEvaluationRequest request,
        Shard shard,
        Device? device = null,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(shard);
        var dataRequest = request.Data ?? run.File.Data;
        using var data = run.LoadData(request.Data);
        var split = SplitOf(data, request.Split);
        var units = run.Units(dataRequest);
        var clock = Stopwatch.StartNew();
        using var model = run.LoadModel(device);
        var options = request.Options with { LogAbsDetJacobian = units.LogAbsDetJacobian, Baseline = request.Options.Baseline ?? run.File.Baseline };
        var points = TestEvaluation.ScorePoints(model, split, request.Kde ? data.Validation : null, options, shard, progress, cancellationToken);
        var header = new ShardHeader
        {
            Kind = ShardHeader.EvaluateKind,
            Index = shard.Index,
            Count = shard.Count,
            Checkpoint = run.Checkpoint,
            ModelSha256 = run.ModelSha256,
            Step = run.File.State.Step,
            Data = SplitSource(dataRequest, request.Split) ?? run.File.DataName,
            Split = request.Split,
            DataFingerprint = points.Fingerprint!,
            Units = units,
            Seed = options.Seed,
            // The baseline is the run's (its checkpoint is compared), and the offset is the units' (compared too).
            Settings = ShardHeader.SettingsOf(options, nameof(TestEvaluationOptions.Baseline), nameof(TestEvaluationOptions.LogAbsDetJacobian)),
            Truth = TruthOf(dataRequest),
            Seconds = clock.Elapsed.TotalSeconds,
        };
        return new ShardResult(header, points);
    }

    private static Tensor SplitOf(DataSet data, DataSplit split) => split switch
    {
        DataSplit.Test => data.Test,
        DataSplit.Validation => data.Validation,
        DataSplit.Train => data.Train,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };

    private static double? TruthOf(DataRequest? data) => data?.BuiltInName == "checkerboard" ? Synthetic2D.CheckerboardLogDensity : null;
}

/// <summary>What to evaluate: a split, of the run's own data unless other data is named, with <see cref="TestEvaluationOptions"/>.</summary>
public sealed record RunEvaluationRequest
{
    /// <summary>Other data to score (in data units, standardised with the run's own transform); null: the run's own.</summary>
    public DataRequest? Data { get; init; }

    /// <summary>Which split to score.</summary>
    public DataSplit Split { get; init; } = DataSplit.Test;

    /// <summary>Samples, subset, seed, AEM-KDE.</summary>
    public TestEvaluationOptions Options { get; init; } = new();

    /// <summary>Also score AEM-KDE (shorthand for <see cref="TestEvaluationOptions.Kde"/>).</summary>
    public bool Kde => Options.Kde;
}

/// <summary>The three splits of a dataset.</summary>
public enum DataSplit
{
    /// <summary>The test split (reported scores).</summary>
    Test,

    /// <summary>The validation split (model selection).</summary>
    Validation,

    /// <summary>The training split.</summary>
    Train,
}

/// <summary>A run's test log-likelihoods and what they are about.</summary>
public sealed record RunEvaluationReport
{
    /// <summary>The checkpoint scored.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Its training step.</summary>
    public int Step { get; init; }

    /// <summary>The data scored, in words.</summary>
    public required string Data { get; init; }

    /// <summary>The split scored.</summary>
    public DataSplit Split { get; init; }

    /// <summary>The units of every score.</summary>
    public required ScoreUnits Units { get; init; }

    /// <summary>AEM, proposal and (if asked for) AEM-KDE, mean ± 2 SE.</summary>
    public required TestEvaluationReport Scores { get; init; }

    /// <summary>The true log-likelihood when known (checkerboard: −log 32; the conditional task: the mean of <see cref="TruthOnPoints"/>).</summary>
    public double? Truth { get; init; }

    /// <summary>
    /// Where the true density differs from point to point (the built-in conditional task), its log-likelihood
    /// on the very points scored, mean ± 2 SE; null otherwise.
    /// </summary>
    public MeanWithError? TruthOnPoints { get; init; }

    /// <summary>Truth minus the AEM's mean: how many nats the AEM falls short of the true density.</summary>
    public double? GapToTruth => Truth is { } t ? t - Scores.Aem.Mean : null;

    /// <summary>Wall time of the scoring.</summary>
    public double Seconds { get; init; }

    /// <summary>The seed of the subset and the importance samples.</summary>
    public long Seed { get; init; }
}
