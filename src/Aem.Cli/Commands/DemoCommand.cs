using System.CommandLine;
using System.Diagnostics;
using Aem.Checkpoints;
using Aem.Cli.Output;
using Aem.Cli.Plotting;
using Aem.Cli.Running;
using Aem.Data;
using Aem.Model;
using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem demo</c>: on a fresh machine with no data, trains an AEM on a built-in 2-D density with sharp
/// edges (checkerboard, uniform proposal) within a time budget, scores it on held-out data against its
/// proposal and the true density, and writes the figures and a report.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Train an AEM on a built-in 2-D density (default: checkerboard) for a few minutes, " +
            "compare its held-out log-likelihood with its proposal's (and the truth), and write figures and a report.");
        var task = new Option<string>("--task") { Description = $"The 2-D task: {string.Join(", ", Synthetic2D.Names)} or {DataCatalog.Einstein}.", DefaultValueFactory = _ => "checkerboard" };
        var time = new Option<TimeSpan>("--time")
        {
            Description = "Training time budget (the rest — setup, scoring, figures — takes about half a minute more).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(150),
            HelpName = "DURATION",
            CustomParser = result => Durations.Parse(result) ?? TimeSpan.Zero,
        };
        var evalPoints = new Option<long>("--eval-points") { Description = "Held-out points scored.", DefaultValueFactory = _ => 4096 };
        var samples = new Option<int>("--samples", "-S") { Description = "Importance samples S per conditional for scoring and the density panels (the paper's figures: 1,000).", DefaultValueFactory = _ => 1000 };
        var points = new Option<long>("--points") { Description = "Points per histogram in figure4a.png.", DefaultValueFactory = _ => 50_000 };
        command.Add(task);
        command.Add(time);
        command.Add(evalPoints);
        command.Add(samples);
        command.Add(points);
        var common = CommonOptions.AddTo(command, "Output folder (default: runs/demo-DATE-TIME).");
        command.SetAction(result => Run(
            context, result.GetValue(task)!, result.GetValue(time), result.GetValue(evalPoints), result.GetValue(samples), result.GetValue(points),
            result.GetValue(common.Out), result, common));
        return command;
    }

    /// <summary>
    /// The demo's model: narrower than the paper's (H 256, E 128), so that a step costs about an eighth
    /// and the many more steps a few minutes allow learn the checkerboard better than a wide model does.
    /// </summary>
    public static AemOptions DemoModel(string task) => new()
    {
        Features = 2,
        HiddenFeatures = 64,
        EnergyHiddenFeatures = 32,
        Proposal = task == "checkerboard" ? ProposalKind.Uniform : ProposalKind.MixtureOfGaussians,
        Components = task == "checkerboard" ? 0 : 10,
    };

    /// <summary>The demo's schedule for <paramref name="steps"/> steps: a larger learning rate than the paper's 5e-4, which a short run needs.</summary>
    public static TrainerOptions DemoTraining(string task, int steps, long seed, TimeSpan budget) => new()
    {
        BatchSize = 128,
        Steps = steps,
        WarmupSteps = task == "spirals" ? Math.Max(1, steps / 80) : 0,
        LearningRate = 1e-3,
        ValidateEvery = Math.Max(1, steps / 12),
        ValidationSamples = 100,
        ValidationPoints = 2048,
        CheckpointEvery = 0,
        MaxDuration = budget,
        Seed = seed,
    };

    private static int Run(
        CliContext context, string task, TimeSpan budget, long evalPoints, int samples, long histogramPoints, string? outPath, ParseResult result, CommonOptions common)
    {
        var total = Stopwatch.StartNew();
        double? loadAtStart = LoadAverage.OneMinute();
        task = task.ToLowerInvariant();
        if (!Synthetic2D.Names.Contains(task) && task != DataCatalog.Einstein)
        {
            throw new UsageException($"--task must be one of {string.Join(", ", Synthetic2D.Names)}, {DataCatalog.Einstein} (got '{task}').");
        }
        if (!(budget > TimeSpan.Zero)) throw new UsageException("--time must be positive.");
        if (evalPoints < 1 || samples < 1 || histogramPoints < 1) throw new UsageException("--eval-points, --samples and --points must be positive.");
        FigureFonts.Ensure();
        var (device, threads) = common.ApplyRuntime(result);
        long seed = result.GetValue(common.Seed);
        outPath ??= Path.Combine("runs", $"demo-{task}-{DateTime.Now:yyyyMMdd-HHmmss}");
        if (!OutputFolder.IsEmptyOrMissing(outPath)) throw new UsageException($"{outPath}: folder is not empty; choose a new --out folder.");

        context.Out.WriteLine($"aem demo: an Autoregressive Energy Machine learns the {task} density in about {Durations.Format(budget)} of training on {threads} thread(s).");
        var spec = new DataSpec { Dataset = task, TrainPoints = 1_000_000, HeldOutPoints = 100_000, Seed = (int)seed };
        using var data = DataCatalog.Load(spec.ToRequest());
        var modelOptions = DemoModel(task);
        var probe = DemoTraining(task, 1000, seed, budget);
        var speed = SpeedEstimate.Measure(
            () => NewModel(modelOptions, seed, device), probe, data.Train, data.Validation,
            probeSeconds: TrainCommand.ProbeSeconds(budget), warmSeconds: TrainCommand.ProbeSeconds(budget));
        int validations = speed.AffordableValidations(budget * 0.97, most: 12);
        int steps = speed.StepsWithin(budget * 0.97, validations);
        var trainerOptions = DemoTraining(task, steps, seed, budget) with
        {
            ValidateEvery = Math.Max(1, (steps + validations - 1) / validations),
            ReportEvery = context.Interactive ? 10 : Math.Max(1, steps / 25),
        };
        context.Out.WriteLine($"{TrainCommand.Describe(modelOptions)}; about {1 / speed.SecondsPerStep:0.0} steps/s here, so about {steps:N0} steps of {trainerOptions.BatchSize} points (re-planned after a fifth of the time).");

        using var folder = OutputFolder.Open(outPath);
        context.Out.WriteLine($"output folder: {folder.Path}");
        var config = new RunConfig
        {
            CommandLine = ["aem", .. context.Arguments],
            Data = spec,
            Preset = "demo",
            Model = modelOptions,
            Training = trainerOptions,
            Threads = threads,
            Device = device.ToString(),
        };
        config.Save(folder.Path);
        folder.Keep();
        var run = new RunDirectory(folder.Path, data.Standardizer, TrainingSession.Describe(spec));
        double setupSeconds = total.Elapsed.TotalSeconds;

        var trainingClock = Stopwatch.StartNew();
        TrainingResult outcome;
        using (var model = NewModel(modelOptions, seed, device))
        {
            (outcome, trainerOptions) = TrainingSession.RunWithinBudget(context, model, trainerOptions, data, run, trainerOptions.ReportEvery, budget);
        }
        double trainingSeconds = trainingClock.Elapsed.TotalSeconds;
        config = config with { Training = trainerOptions };
        config.Save(folder.Path);
        if (outcome.Reason == StopReason.NonFinite) return TrainingSession.Report(context, outcome, run, trainingClock.Elapsed);
        if (outcome.Reason == StopReason.Cancelled)
        {
            context.Out.WriteLine($"interrupted at step {outcome.State.Step:N0}; the checkpoints are in {folder.Path} (aem train --resume {folder.Path} continues).");
            return Cli.Ok;
        }

        var location = CheckpointLocation.Resolve(folder.Path);
        var manifest = Checkpoint.ReadManifest(location.Checkpoint);
        var evaluation = EvaluateCommand.Evaluate(context, location, manifest, data, spec, "test", samples, evalPoints, seed, device);
        evaluation.Save(folder.Path);
        var figureClock = Stopwatch.StartNew();
        string figures = Path.Combine(folder.Path, "figures");
        var written = new List<string>();
        var (best, _) = Checkpoint.Load(location.Checkpoint, device);
        using (best)
        {
            var settings = new FigureSettings(Samples: samples, Points: histogramPoints, Seed: seed);
            written.AddRange(FigureMaker.DensityFigures(context, best, manifest.Standardizer, data.Train, task, settings, figures));
        }
        written.Add(FigureMaker.Curves(Checkpoint.ReadManifest(run.LastDirectory), task, evaluation.Truth, figures));
        var report = new DemoReport
        {
            Task = task,
            Model = modelOptions,
            Training = trainerOptions,
            StepsDone = outcome.State.Step,
            StopReason = outcome.Reason == StopReason.TimeLimit ? "stopped by the time limit" : "completed",
            Evaluation = evaluation,
            Figures = written.Select(f => Path.GetRelativePath(folder.Path, f)).ToList(),
            Threads = threads,
            LoadAverageAtStart = loadAtStart,
            LoadAverageAtEnd = LoadAverage.OneMinute(),
            SetupSeconds = setupSeconds,
            TrainingSeconds = trainingSeconds,
            EvaluationSeconds = evaluation.Seconds,
            FigureSeconds = figureClock.Elapsed.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
        };
        report.Save(folder.Path);

        context.Out.WriteLine();
        EvaluateCommand.Print(context, evaluation);
        context.Out.WriteLine($"  AEM − proposal: {evaluation.Aem.Mean - evaluation.Proposal.Mean:+0.000;-0.000} nats per point");
        context.Out.WriteLine();
        context.Out.WriteLine($"done in {Durations.Format(total.Elapsed)}. Outputs in {folder.Path}:");
        context.Out.WriteLine($"  {Path.Combine(folder.Path, DemoReport.MarkdownFile)}   (report; also {DemoReport.JsonFile})");
        foreach (var file in written) context.Out.WriteLine($"  {file}");
        context.Out.WriteLine($"  {run.BestDirectory}   (checkpoint: aem info / evaluate / sample / plot --checkpoint {folder.Path})");
        return Cli.Ok;
    }

    private static AutoregressiveEnergyMachine NewModel(AemOptions options, long seed, Device device)
    {
        manual_seed(seed);
        var model = new AutoregressiveEnergyMachine(options);
        model.to(device);
        return model;
    }
}
