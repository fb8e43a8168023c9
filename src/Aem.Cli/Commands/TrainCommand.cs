using System.CommandLine;
using System.Diagnostics;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Cli.Terminal;
using Aem.Data;
using Aem.Evaluation;
using Aem.Presets;
using Aem.Runs;
using Aem.Runtime;
using Aem.Training;

namespace Aem.Cli.Commands;

/// <summary><c>aem train</c>: trains an AEM on any dataset or file with a paper preset and overrides; resumable.</summary>
internal sealed class TrainCommand
{
    private readonly CliContext context;
    private readonly CommonOptions common;
    private readonly DataOptions data;
    private readonly TrainingOptionSet training;
    private readonly Option<string?> resume = new("--resume") { Description = "Continue the run in this folder from its last/ checkpoint.", HelpName = "DIR" };
    private readonly Option<int?> workers = new("--workers")
    {
        Description = "Training workers: 2 runs a step's even and odd micro-batches at once, each on --threads threads (default: the fastest of 2 workers × 1 thread, 1 thread and the free cores as threads, measured; 1 when --threads is given). The result does not depend on it.",
        HelpName = "N",
    };
    private readonly Option<bool> force = new("--force") { Description = "Start a new run in a non-empty --out folder, replacing a previous run's checkpoints there." };

    private TrainCommand(CliContext context, Command command)
    {
        this.context = context;
        common = CommonOptions.AddTo(command, "Run folder for the checkpoints best/ and last/ (default: runs/NAME-DATE-TIME).");
        data = DataOptions.AddTo(command);
        training = TrainingOptionSet.AddTo(command);
        command.Add(resume);
        command.Add(workers);
        command.Add(force);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("train", "Train an AEM on a built-in dataset or your own data, with a preset from the paper and any overrides. " +
            "Ctrl-C (or SIGTERM) saves a checkpoint and exits; --resume continues exactly where it stopped.");
        var handler = new TrainCommand(context, command);
        command.SetAction(result => result.GetValue(handler.resume) is { } dir ? handler.Resume(result, dir) : handler.Start(result));
        return command;
    }

    private int Start(ParseResult result)
    {
        // --time is the whole command's wall clock: loading, timing the probe and training.
        var commandClock = Stopwatch.StartNew();
        var (device, threads) = common.ApplyRuntime(result);
        long seed = result.GetValue(common.Seed);
        var request = data.Read(result, seed);
        string outPath = result.GetValue(common.Out) ?? DefaultRunFolder(request.Name);
        CheckOutFolder(outPath, result.GetValue(force));

        using var dataSet = DataCatalog.Load(request);
        var basis = training.ChooseBasis(result, request, dataSet.Train.shape[0], dataSet.Features);
        var start = basis.For(result.GetValue(training.Steps) ?? basis.DefaultSteps, result.GetValue(training.Warmup));
        var model = training.ModelOptions(result, start) with { ConditioningFeatures = dataSet.ContextFeatures };
        TrainingRun.CheckData(dataSet, model);
        var units = ScoreUnits.For(request, dataSet.Standardizer);
        var objective = training.ObjectiveOptions(result, start) with { LogAbsDetJacobian = units.LogAbsDetJacobian };
        TimeSpan? time = result.GetValue(training.Time);
        int? validateEvery = result.GetValue(training.ValidateEvery);
        int steps = result.GetValue(training.Steps) ?? basis.DefaultSteps;
        bool fitted = result.GetValue(training.Steps) is null && time is not null;
        string parallelism = $"{threads} thread{(threads == 1 ? "" : "s")}";
        if (result.GetValue(workers) is { } fixedWorkers)
        {
            if (fixedWorkers is < 1 or > 2) throw new UsageException($"--workers must be 1 or 2 (got {fixedWorkers}).");
            TorchRuntime.SetTrainingWorkers(fixedWorkers);
            parallelism = fixedWorkers == 1 ? parallelism : $"{fixedWorkers} workers × {parallelism}";
        }
        else if (result.GetValue(common.Threads) is null)
        {
            var choice = TrainingParallelism.Choose(model, device, training.TrainerOptions(result, basis, model, 1000, seed, null, null), objective, dataSet.Train, threads);
            (threads, parallelism) = (choice.Threads, choice.Describe());
        }
        if (fitted)
        {
            context.Out.WriteLine($"timing a few steps to fit the schedule into {Durations.Format(time!.Value)}...");
            var plan = TimeBudget.Plan(
                model, device, training.TrainerOptions(result, basis, model, 1000, seed, null, null), objective,
                dataSet.Train, dataSet.Validation, time.Value, validateEvery);
            int most = TableDefaults.MostSteps(dataSet.Train.shape[0], training.TrainerOptions(result, basis, model, 1000, seed, null, null).BatchSize);
            if (basis.Name == TableDefaults.Name && plan.Steps > most)
            {
                // A budget is a limit, not a target, on a small table: filling it meant thousands of epochs.
                fitted = false;
                steps = most;
                context.Out.WriteLine($"  {1 / plan.Speed.SecondsPerStep:0.0} steps/s: {plan.Steps:N0} steps would fit; training {TableDefaults.MostEpochs:N0} epochs ({steps:N0} steps) with {Durations.Format(time.Value)} as a limit");
            }
            else
            {
                (steps, validateEvery) = (plan.Steps, plan.ValidateEvery);
                context.Out.WriteLine($"  {1 / plan.Speed.SecondsPerStep:0.0} steps/s, {plan.Speed.SecondsPerValidation:0.00} s per validation → {steps:N0} steps, validating every {validateEvery:N0}");
            }
        }
        int logEvery = result.GetValue(training.LogEvery) ?? TrainingOptionSet.DefaultLogEvery(steps);
        var trainerOptions = training.TrainerOptions(result, basis, model, steps, seed, time, validateEvery) with { ReportEvery = context.Interactive ? Math.Min(10, logEvery) : logEvery };
        if (basis.Name == TableDefaults.Name && result.GetValue(training.Patience) is null)
        {
            // Early stopping by default for a user's table, its patience following the planned cadence.
            trainerOptions = trainerOptions with { Patience = TableDefaults.PatienceFor(trainerOptions.Steps, trainerOptions.ValidateEvery) };
        }
        if (dataSet.Train.shape[0] < trainerOptions.BatchSize)
        {
            throw new UsageException($"{request.Name}: {dataSet.Train.shape[0]:N0} training points are fewer than one batch ({trainerOptions.BatchSize}); lower --batch-size.");
        }
        if (time is { } whole)
        {
            var left = whole - commandClock.Elapsed;
            if (left <= TimeSpan.Zero) throw new UsageException($"--time {Durations.Format(whole)} is used up before training starts (loading and timing took {Durations.Format(commandClock.Elapsed)}).");
            trainerOptions = trainerOptions with { MaxDuration = left };
            time = left;
        }
        var record = new RunFile
        {
            Data = request,
            DataFiles = DataFingerprints.Of(request),
            DataName = request.Describe(),
            PresetName = basis.Name,
            Model = model,
            Training = trainerOptions,
            Objective = objective,
            Standardizer = dataSet.Standardizer,
            ContextStandardizer = dataSet.ContextStandardizer,
            ColumnNames = dataSet.ColumnNames,
            ContextColumnNames = dataSet.ContextColumnNames,
            Baseline = GaussianBaseline.Fit(dataSet.Train, dataSet.ContextFeatures),
            Provenance = context.Provenance(threads, device) with { TimeBudget = result.GetValue(training.Time) },
        };

        using var folder = OutputFolder.Open(outPath);
        using var run = Claim(folder, () => TrainingRun.Start(folder.Path, record, device, replace: result.GetValue(force)));
        string given = dataSet.ContextFeatures > 0 ? $" given a context of C = {dataSet.ContextFeatures}" : "";
        context.Out.WriteLine($"training on {dataSet.Name}: {dataSet.Train.shape[0]:N0} points, D = {dataSet.Features}{given}; settings {basis.Name}; " +
            $"{model.Describe()}; {steps:N0} steps of {trainerOptions.BatchSize}{(time is { } t ? $", at most {Durations.Format(t)}" : "")}; {parallelism}");
        context.Out.WriteLine($"  lr {trainerOptions.LearningRate:G3} (cosine{(trainerOptions.LearningRateRampSteps > 0 ? $", ramped up over {trainerOptions.LearningRateRampSteps:N0} steps" : "")}), warm-up {trainerOptions.WarmupSteps:N0} steps, validation every {trainerOptions.ValidateEvery:N0} steps" +
            (trainerOptions.Patience is { } patience ? $", early stopping after {patience} without improvement" : "") + $"; log-likelihoods in {units.Description}");
        context.Out.WriteLine($"run folder: {folder.Path}");
        folder.Keep();
        var clock = Stopwatch.StartNew();
        var outcome = TrainingConsole.Train(context, run, dataSet, logEvery, fitted ? time : null);
        return TrainingConsole.Report(context, outcome, run, clock.Elapsed, dataSet);
    }

    private int Resume(ParseResult result, string dir)
    {
        var fixedOption = training.Architecture
            .Concat([data.Dataset, data.File, data.Image, data.TrainPoints, data.HeldOutPoints, .. data.Context.All, common.Out])
            .FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
        if (fixedOption is not null)
        {
            throw new UsageException($"{fixedOption.Name} cannot change when resuming: --resume continues the run as configured (only --steps, --time, --threads, --workers, --device, --log-every may be given).");
        }
        UnusedOptions.Refuse(result, force, false, "starts a new run; it has no effect with --resume.");
        var (device, _) = common.ApplyRuntime(result);
        if (result.GetValue(workers) is { } fixedWorkers)
        {
            if (fixedWorkers is < 1 or > 2) throw new UsageException($"--workers must be 1 or 2 (got {fixedWorkers}).");
            TorchRuntime.SetTrainingWorkers(fixedWorkers);
        }
        if (!RunLayout.IsRun(dir)) throw new CheckpointException($"{dir}: not a run folder (no {RunLayout.Last}/ checkpoint); --resume needs the folder 'aem train' wrote.");
        int logEvery = 0;
        using var run = TrainingRun.Resume(dir, result.GetValue(training.Steps), result.GetValue(training.Time), device, options =>
        {
            logEvery = result.GetValue(training.LogEvery) ?? TrainingOptionSet.DefaultLogEvery(options.Steps);
            return options with { ReportEvery = context.Interactive ? Math.Min(10, logEvery) : logEvery };
        });
        using var dataSet = run.ResumedFrom!.LoadData();
        context.Out.WriteLine($"resuming {run.Folder} at step {run.Trainer.State.Step:N0} of {run.Trainer.Options.Steps:N0}");
        var clock = Stopwatch.StartNew();
        var outcome = TrainingConsole.Train(context, run, dataSet, logEvery);
        return TrainingConsole.Report(context, outcome, run, clock.Elapsed, dataSet);
    }

    /// <summary>Claims the run folder; if another process holds it, the folder is theirs and must survive this command's failure.</summary>
    private static TrainingRun Claim(OutputFolder folder, Func<TrainingRun> start)
    {
        try
        {
            return start();
        }
        catch (RunFolderInUseException)
        {
            folder.Keep();
            throw;
        }
    }


    private static void CheckOutFolder(string path, bool force)
    {
        if (OutputFolder.IsEmptyOrMissing(path) || force) return;
        if (RunLayout.IsRun(path))
        {
            throw new UsageException($"{path}: already holds a run; continue it with --resume {path}, or pass --force to start over there.");
        }
        throw new UsageException($"{path}: folder is not empty; choose a new --out folder or pass --force.");
    }

    private static string DefaultRunFolder(string name) =>
        Path.Combine("runs", $"{Sanitise(name)}-{DateTime.Now:yyyyMMdd-HHmmss}");

    private static string Sanitise(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
