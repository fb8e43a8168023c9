using System.CommandLine;
using System.Diagnostics;
using Aem.Checkpoints;
using Aem.Cli.Output;
using Aem.Cli.Running;
using Aem.Data;
using Aem.Model;
using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Cli.Commands;

/// <summary><c>aem train</c>: trains an AEM on any dataset or file with a paper preset and overrides; resumable.</summary>
public static class TrainCommand
{
    private static readonly string[] KnownOutputs = ["last", "best", ".last.old", ".best.old", RunConfig.FileName, "evaluation.json", "evaluation.md", "figures"];

    public static Command Create(CliContext context)
    {
        var command = new Command("train", "Train an AEM on a built-in dataset or your own data, with a preset from the paper and any overrides. " +
            "Ctrl-C (or SIGTERM) saves a checkpoint and exits; --resume continues exactly where it stopped.");
        var common = CommonOptions.AddTo(command, "Run folder for checkpoints (best/, last/) and config.json (default: runs/NAME-DATE-TIME).");
        var data = DataOptions.AddTo(command);
        var training = TrainingOptionSet.AddTo(command);
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last/ checkpoint.", HelpName = "DIR" };
        var force = new Option<bool>("--force") { Description = "Start a new run in a non-empty --out folder, replacing a previous run's checkpoints there." };
        command.Add(resume);
        command.Add(force);
        command.SetAction(result => result.GetValue(resume) is { } dir
            ? Resume(context, result, dir, common, data, training)
            : Start(context, result, common, data, training, result.GetValue(force)));
        return command;
    }

    private static int Start(CliContext context, ParseResult result, CommonOptions common, DataOptions dataOptions, TrainingOptionSet training, bool force)
    {
        var (device, threads) = common.ApplyRuntime(result);
        long seed = result.GetValue(common.Seed);
        var spec = dataOptions.Read(result, (int)seed);
        string outPath = result.GetValue(common.Out) ?? DefaultRunFolder(spec.Name);
        CheckOutFolder(outPath, force);

        using var data = DataCatalog.Load(spec.ToRequest());
        var preset = training.ChoosePreset(result, spec.BuiltInName);
        var modelOptions = training.ModelOptions(result, preset, data.Features);
        TimeSpan? time = result.GetValue(training.Time);
        int? validateEvery = result.GetValue(training.ValidateEvery);
        int steps = result.GetValue(training.Steps) ?? preset.Steps;
        bool fitted = result.GetValue(training.Steps) is null && time is not null;
        if (fitted)
        {
            (steps, validateEvery) = FitSteps(context, result, training, preset, modelOptions, data, seed, time!.Value, device);
        }
        var trainerOptions = training.TrainerOptions(result, preset, steps, seed, time, validateEvery);
        int logEvery = result.GetValue(training.LogEvery) ?? TrainingOptionSet.DefaultLogEvery(steps);
        trainerOptions = trainerOptions with { ReportEvery = context.Interactive ? Math.Min(10, logEvery) : logEvery };
        if (data.Train.shape[0] < trainerOptions.BatchSize)
        {
            throw new UsageException($"{spec.Name}: {data.Train.shape[0]:N0} training points are fewer than one batch ({trainerOptions.BatchSize}); lower --batch-size.");
        }

        using var folder = OutputFolder.Open(outPath);
        using var runLock = Lock(folder);
        if (force) Clear(folder.Path);
        var config = new RunConfig
        {
            CommandLine = ["aem", .. context.Arguments],
            Data = spec,
            Preset = preset.Name,
            Model = modelOptions,
            Training = trainerOptions,
            Threads = threads,
            Device = device.ToString(),
        };
        config.Save(folder.Path);
        var run = new RunDirectory(folder.Path, data.Standardizer, TrainingSession.Describe(spec));

        manual_seed(seed);
        using var model = new AutoregressiveEnergyMachine(modelOptions);
        model.to(device);
        context.Out.WriteLine($"training on {data.Name}: {data.Train.shape[0]:N0} points, D = {data.Features}; preset {preset.Name}; " +
            $"{Describe(modelOptions)}; {steps:N0} steps of {trainerOptions.BatchSize}{(time is { } t ? $", at most {Durations.Format(t)}" : "")}");
        context.Out.WriteLine($"run folder: {folder.Path}");
        folder.Keep();
        var clock = Stopwatch.StartNew();
        TrainingResult outcome;
        if (fitted && time is { } limit)
        {
            (outcome, trainerOptions) = TrainingSession.RunWithinBudget(context, model, trainerOptions, data, run, logEvery, limit);
            (config with { Training = trainerOptions }).Save(folder.Path);
        }
        else
        {
            using var trainer = new Trainer(model, trainerOptions);
            outcome = TrainingSession.Run(context, trainer, data, run, logEvery);
        }
        return TrainingSession.Report(context, outcome, run, clock.Elapsed);
    }

    private static int Resume(CliContext context, ParseResult result, string dir, CommonOptions common, DataOptions dataOptions, TrainingOptionSet training)
    {
        var fixedOption = training.Architecture.Cast<System.CommandLine.Option>()
            .Concat([dataOptions.Dataset, dataOptions.File, dataOptions.Image, dataOptions.TrainPoints, dataOptions.HeldOutPoints, common.Out])
            .FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
        if (fixedOption is not null)
        {
            throw new UsageException($"{fixedOption.Name} cannot change when resuming: --resume continues the run as configured (only --steps, --time, --threads, --device, --log-every may be given).");
        }
        var (device, _) = common.ApplyRuntime(result);
        string runPath = Path.GetFullPath(dir);
        string last = Path.Combine(runPath, "last");
        var config = RunConfig.TryLoad(runPath)
            ?? throw new CheckpointException($"{dir}: not a run folder (no {RunConfig.FileName}); --resume needs the folder 'aem train' wrote.");
        using var runLock = RunLock.Acquire(runPath);
        var manifest = Checkpoint.ReadManifest(last);
        var state = manifest.State ?? new TrainingState();
        var options = (manifest.Training ?? config.Training) with
        {
            Steps = result.GetValue(training.Steps) ?? (manifest.Training ?? config.Training).Steps,
            MaxDuration = result.GetValue(training.Time),
        };
        if (state.Step >= options.Steps)
        {
            throw new UsageException($"{dir}: the run has already done {state.Step:N0} of {options.Steps:N0} steps; pass --steps N with N > {state.Step:N0} to train further.");
        }
        int logEvery = result.GetValue(training.LogEvery) ?? TrainingOptionSet.DefaultLogEvery(options.Steps);
        options = options with { ReportEvery = context.Interactive ? Math.Min(10, logEvery) : logEvery };

        using var data = CheckpointData.InModelUnits(config.Data, manifest, last);
        var (model, _) = Checkpoint.Load(last, device);
        using (model)
        {
            using var trainer = new Trainer(model, options, state);
            Checkpoint.LoadOptimizer(last, trainer.Optimizer);
            var run = new RunDirectory(runPath, manifest.Standardizer, manifest.Data);
            (config with { Training = options }).Save(runPath);
            context.Out.WriteLine($"resuming {runPath} at step {state.Step:N0} of {options.Steps:N0}");
            var clock = Stopwatch.StartNew();
            var outcome = TrainingSession.Run(context, trainer, data, run, logEvery);
            return TrainingSession.Report(context, outcome, run, clock.Elapsed);
        }
    }

    /// <summary>
    /// Fits the step count (and, unless given, the validation cadence) to a wall-time budget by timing a
    /// few steps and one validation of a throwaway model: validations get at most a tenth of the budget.
    /// </summary>
    private static (int Steps, int? ValidateEvery) FitSteps(
        CliContext context, ParseResult result, TrainingOptionSet training, Preset preset, AemOptions modelOptions, DataSet data, long seed, TimeSpan budget, Device device)
    {
        var probeOptions = training.TrainerOptions(result, preset, 1000, seed, null, null);
        context.Out.WriteLine($"timing a few steps to fit the schedule into {Durations.Format(budget)}...");
        var speed = SpeedEstimate.Measure(
            () =>
            {
                var m = new AutoregressiveEnergyMachine(modelOptions);
                m.to(device);
                return m;
            },
            probeOptions with { ValidateEvery = result.GetValue(training.ValidateEvery) ?? 1 },
            data.Train,
            data.Validation,
            probeSeconds: ProbeSeconds(budget),
            warmSeconds: ProbeSeconds(budget));
        var usable = budget * 0.97;
        int? validateEvery = result.GetValue(training.ValidateEvery);
        int steps;
        if (validateEvery is { } every)
        {
            steps = speed.StepsWithinValidatingEvery(usable, every);
        }
        else
        {
            int validations = speed.AffordableValidations(usable);
            steps = speed.StepsWithin(usable, validations);
            validateEvery = Math.Max(1, (steps + validations - 1) / validations);
        }
        context.Out.WriteLine($"  {1 / speed.SecondsPerStep:0.0} steps/s, {speed.SecondsPerValidation:0.00} s per validation → {steps:N0} steps, validating every {validateEvery:N0}");
        return (steps, validateEvery);
    }

    /// <summary>Seconds to warm up and to time the probe: 2 % of the budget each, between 0.1 and 2.5 s.</summary>
    internal static double ProbeSeconds(TimeSpan budget) => Math.Clamp(0.02 * budget.TotalSeconds, 0.1, 2.5);

    private static void CheckOutFolder(string path, bool force)
    {
        if (OutputFolder.IsEmptyOrMissing(path) || force) return;
        if (TrainingSession.IsRunFolder(path))
        {
            throw new UsageException($"{path}: already holds a run; continue it with --resume {path}, or pass --force to start over there.");
        }
        throw new UsageException($"{path}: folder is not empty; choose a new --out folder or pass --force.");
    }

    /// <summary>Claims the run folder; if another process holds it, the folder is theirs and must survive this command's failure.</summary>
    private static RunLock Lock(OutputFolder folder)
    {
        try
        {
            return RunLock.Acquire(folder.Path);
        }
        catch (RunFolderInUseException)
        {
            folder.Keep();
            throw;
        }
    }

    /// <summary>Removes what an earlier run left (checkpoints, config, results), nothing else.</summary>
    private static void Clear(string path)
    {
        foreach (string name in KnownOutputs)
        {
            string full = Path.Combine(path, name);
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            else if (File.Exists(full)) File.Delete(full);
        }
    }

    private static string DefaultRunFolder(string name) =>
        Path.Combine("runs", $"{Sanitise(name)}-{DateTime.Now:yyyyMMdd-HHmmss}");

    private static string Sanitise(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());

    internal static string Describe(AemOptions o) =>
        $"H = {o.HiddenFeatures}, E = {o.EnergyHiddenFeatures}, K = {o.ContextFeatures}, " +
        (o.Proposal == ProposalKind.Uniform ? $"uniform proposal U({o.UniformLow:0.##}, {o.UniformHigh:0.##})" : $"M = {o.Components} mixture components") +
        (o.Dropout > 0 ? $", dropout {o.Dropout:0.##}" : "");
}
