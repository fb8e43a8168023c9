using System.CommandLine;
using System.Diagnostics;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Cli.Plotting;
using Aem.Cli.Terminal;
using Aem.Runtime;
using Aem.Data;
using Aem.Evaluation;
using Aem.Presets;
using Aem.Runs;
using Aem.Training;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem demo</c>: on a fresh machine with no data, trains an AEM on a built-in 2-D density with sharp
/// edges (checkerboard, uniform proposal) for a fixed number of steps (or within a time budget), scores it on held-out data against its
/// proposal and the true density, and writes the figures and a report.
/// </summary>
internal sealed class DemoCommand
{
    private readonly CliContext context;
    private readonly Option<string> task = new("--task") { Description = $"The 2-D task: {string.Join(", ", Demo.Tasks)}.", DefaultValueFactory = _ => "checkerboard" };
    private readonly Option<int?> steps = new("--steps") { Description = $"Training steps (default {Demo.Steps:N0}: the same run for a seed on any machine).", HelpName = "N" };
    private readonly Option<TimeSpan?> time = new("--time")
    {
        Description = "A training time budget instead: the step count is fitted to it by timing a few steps first (the result then depends on the machine's speed).",
        HelpName = "DURATION",
        CustomParser = result => Durations.Parse(result) ?? TimeSpan.Zero,
    };
    private readonly Option<long> evalPoints = new("--eval-points") { Description = "Held-out points scored.", DefaultValueFactory = _ => 4096 };
    private readonly Option<int> samples = new("--samples", "-S") { Description = "Importance samples S per conditional for scoring and the density panels (the paper's figures: 1,000).", DefaultValueFactory = _ => 1000 };
    private readonly Option<long> points = new("--points") { Description = "Points per histogram in figure4a.png.", DefaultValueFactory = _ => 50_000 };
    private readonly CommonOptions common;

    private DemoCommand(CliContext context, Command command)
    {
        this.context = context;
        foreach (var option in new Option[] { task, steps, time, evalPoints, samples, points }) command.Add(option);
        common = CommonOptions.AddTo(command, "Output folder (default: runs/demo-DATE-TIME).");
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Train an AEM on a built-in 2-D density (default: checkerboard) for a fixed number of steps (a few minutes), " +
            "compare its held-out log-likelihood with its proposal's (and the truth), and write figures and a report.");
        var handler = new DemoCommand(context, command);
        command.SetAction(handler.Run);
        return command;
    }

    private int Run(ParseResult result)
    {
        var total = Stopwatch.StartNew();
        double? loadAtStart = LoadAverage.OneMinute();
        string name = result.GetValue(task)!.ToLowerInvariant();
        var budget = result.GetValue(time);
        int? fixedSteps = result.GetValue(steps);
        int s = result.GetValue(samples);
        if (!Demo.Tasks.Contains(name)) throw new UsageException($"--task must be one of {string.Join(", ", Demo.Tasks)} (got '{name}').");
        if (budget is { } b && !(b > TimeSpan.Zero)) throw new UsageException("--time must be positive.");
        if (fixedSteps is < 1) throw new UsageException("--steps must be at least 1.");
        if (budget is null) fixedSteps ??= Demo.Steps;
        if (result.GetValue(evalPoints) < 1 || s < 1 || result.GetValue(points) < 1) throw new UsageException("--eval-points, --samples and --points must be positive.");
        FigureFonts.Ensure();
        var (device, threads) = common.ApplyRuntime(result);
        long seed = result.GetValue(common.Seed);
        string outPath = result.GetValue(common.Out) ?? Path.Combine("runs", $"demo-{name}-{DateTime.Now:yyyyMMdd-HHmmss}");
        if (!OutputFolder.IsEmptyOrMissing(outPath)) throw new UsageException($"{outPath}: folder is not empty; choose a new --out folder.");

        context.Out.WriteLine(budget is { } limit && fixedSteps is null
            ? $"aem demo: an Autoregressive Energy Machine learns the {name} density in about {Durations.Format(limit)} of training."
            : $"aem demo: an Autoregressive Energy Machine learns the {name} density in {fixedSteps:N0} steps{(budget is { } l ? $" (at most {Durations.Format(l)})" : "")}.");
        var request = Demo.Data(name, seed);
        using var data = DataCatalog.Load(request);
        var model = Demo.Model(name);
        string parallelism = $"{threads} thread{(threads == 1 ? "" : "s")}";
        if (result.GetValue(common.Threads) is null)
        {
            var choice = TrainingParallelism.Choose(model, device, Demo.Training(name, 1000, seed), Demo.Objective(), data.Train, threads);
            (threads, parallelism) = (choice.Threads, choice.Describe());
        }
        context.Out.WriteLine($"compute: {parallelism}");
        TrainerOptions training;
        if (fixedSteps is { } n)
        {
            training = Demo.Training(name, n, seed, budget) with { ReportEvery = context.Interactive ? 10 : Math.Max(1, n / 25) };
            context.Out.WriteLine($"{model.Describe()}; {n:N0} steps of {training.BatchSize} points.");
        }
        else
        {
            var plan = TimeBudget.Plan(model, device, Demo.Training(name, 1000, seed), Demo.Objective(), data.Train, data.Validation, budget!.Value, mostValidations: 12);
            training = Demo.Training(name, plan.Steps, seed, budget) with
            {
                ValidateEvery = plan.ValidateEvery,
                ReportEvery = context.Interactive ? 10 : Math.Max(1, plan.Steps / 25),
            };
            context.Out.WriteLine($"{model.Describe()}; about {1 / plan.Speed.SecondsPerStep:0.0} steps/s here, so about {plan.Steps:N0} steps of {training.BatchSize} points (re-planned after a fifth of the time).");
        }

        using var folder = OutputFolder.Open(outPath);
        context.Out.WriteLine($"output folder: {folder.Path}");
        folder.Keep();
        var record = new RunFile
        {
            Data = request, DataName = request.Describe(), PresetName = "demo", Model = model, Training = training,
            Objective = Demo.Objective(), Provenance = context.Provenance(threads, device), Baseline = GaussianBaseline.Fit(data.Train),
        };
        double setupSeconds = total.Elapsed.TotalSeconds;
        var trainingClock = Stopwatch.StartNew();
        TrainingResult<ValidationScore> outcome;
        using (var run = TrainingRun.Start(folder.Path, record, device))
        {
            outcome = TrainingConsole.Train(context, run, data, training.ReportEvery, fixedSteps is null ? budget : null);
            training = run.Trainer.Options;
            if (outcome.Reason == StopReason.NonFinite) return TrainingConsole.Report(context, outcome, run, trainingClock.Elapsed);
        }
        double trainingSeconds = trainingClock.Elapsed.TotalSeconds;
        if (outcome.Reason == StopReason.Cancelled)
        {
            context.Out.WriteLine($"interrupted at step {outcome.State.Step:N0}; the checkpoints are in {folder.Path} (aem train --resume {folder.Path} continues).");
            return Cli.Ok;
        }

        var saved = SavedRun.Open(folder.Path);
        var evaluationRequest = new RunEvaluationRequest { Options = new TestEvaluationOptions { Samples = s, MaxPoints = result.GetValue(evalPoints), Seed = seed } };
        RunEvaluationReport evaluation;
        using (var progress = new EvaluationProgressPrinter(context, s))
        {
            evaluation = RunEvaluation.Evaluate(saved, data, request, evaluationRequest, device, progress);
        }
        EvaluationFiles.Save(evaluation, folder.Path);
        var figureClock = Stopwatch.StartNew();
        var written = FigureMaker.All(context, saved, data.Train, name, evaluation.Truth, new FigureSettings(Samples: s, Points: result.GetValue(points), Seed: seed), Path.Combine(folder.Path, "figures"), device);
        var report = new DemoReport
        {
            Task = name,
            Model = model,
            Training = training,
            Objective = record.Objective,
            StepsDone = outcome.State.Step,
            StopReason = outcome.Reason == StopReason.TimeLimit ? "stopped by the time limit" : "completed",
            Evaluation = evaluation,
            Figures = written.Select(f => Path.GetRelativePath(folder.Path, f)).ToList(),
            Threads = threads,
            Compute = parallelism,
            LoadAverageAtStart = loadAtStart,
            LoadAverageAtEnd = LoadAverage.OneMinute(),
            SetupSeconds = setupSeconds,
            TrainingSeconds = trainingSeconds,
            EvaluationSeconds = evaluation.Seconds,
            FigureSeconds = figureClock.Elapsed.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
        };
        report.Save(folder.Path);
        PrintSummary(evaluation, total.Elapsed, folder.Path, written);
        return Cli.Ok;
    }

    private void PrintSummary(RunEvaluationReport evaluation, TimeSpan elapsed, string folder, IReadOnlyList<string> figures)
    {
        var o = context.Out;
        o.WriteLine();
        EvaluationFiles.Print(o, evaluation);
        o.WriteLine($"  AEM − proposal: {evaluation.Scores.Aem.Mean - evaluation.Scores.Proposal.Mean:+0.000;-0.000} nats per point");
        o.WriteLine();
        o.WriteLine($"done in {Durations.Format(elapsed)}. Outputs in {folder}:");
        o.WriteLine($"  {Path.Combine(folder, DemoReport.MarkdownFile)}   (report; also {DemoReport.JsonFile})");
        foreach (var file in figures) o.WriteLine($"  {file}");
        o.WriteLine($"  {RunLayout.BestOf(folder)}   (checkpoint: aem info / evaluate / sample / plot --checkpoint {folder})");
    }
}
