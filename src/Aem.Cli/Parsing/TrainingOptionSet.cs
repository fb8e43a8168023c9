using System.CommandLine;
using Aem.Data;
using Aem.Model;
using Aem.Presets;
using Aem.Training;

namespace Aem.Cli.Parsing;

/// <summary>
/// <c>aem train</c>'s model and schedule options: a preset from the paper (SPEC §2) and overrides of
/// any of its settings, plus the budget in steps and/or wall time.
/// </summary>
internal sealed class TrainingOptionSet
{
    public Option<string?> Preset { get; } = new("--preset")
    {
        Description = $"Settings from the paper: {string.Join(", ", Presets.Preset.All.Keys)} (default: the dataset's own preset; for your own --data, settings scaled to its rows and columns).",
        HelpName = "NAME",
    };

    public Option<int?> Steps { get; } = new("--steps") { Description = "Training steps (the learning rate anneals to zero over them; default: the preset's, or fitted to --time).", HelpName = "N" };

    public Option<TimeSpan?> Time { get; } = Durations.Option(
        "--time", "Wall-time budget, e.g. 90s, 10m, 2h. Alone, the step count is fitted to it by timing a few steps first (for your own table without --preset: at most 1,000 epochs, the budget then only a limit).");

    public Option<int?> Warmup { get; } = new("--warmup") { Description = "Steps training only the proposal (default: the preset's share of the steps).", HelpName = "N" };

    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Points per step.", HelpName = "N" };

    public Option<int?> Hidden { get; } = new("--hidden") { Description = "ResMADE width H.", HelpName = "N" };

    public Option<int?> EnergyHidden { get; } = new("--energy-hidden") { Description = "Energy-network width E (paper: 128).", HelpName = "N" };

    public Option<int?> Context { get; } = new("--context") { Description = "Width K of the vectors γ_d the ResMADE hands the energy network (paper: 64); a conditional density's context is --context-columns or --context-file.", HelpName = "N" };

    public Option<int?> Blocks { get; } = new("--blocks") { Description = "Residual blocks in each network (paper: 4).", HelpName = "N" };

    public Option<int?> Components { get; } = new("--components") { Description = "Mixture components M of the proposal (implies --proposal mog).", HelpName = "M" };

    public Option<string?> Proposal { get; } = new("--proposal")
    {
        Description = "Proposal family: mog (mixture of Gaussians) or uniform (fixed U(-4, 4), the checkerboard preset's).",
        HelpName = "mog|uniform",
    };

    public Option<double?> Dropout { get; } = new("--dropout") { Description = "Dropout probability in both networks.", HelpName = "P" };

    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Adam learning rate (paper: 5e-4).", HelpName = "RATE" };

    public Option<int?> LearningRateRamp { get; } = new("--lr-ramp") { Description = "Steps over which the learning rate ramps up linearly from zero (default: the preset's; the paper's: 0).", HelpName = "N" };

    public Option<int?> Samples { get; } = new("--samples") { Description = "Importance samples S per conditional in training (paper: 20).", HelpName = "S" };

    public Option<string?> Normalizer { get; } = NormalizerOptions.ForTraining();

    public Option<int?> ValidateEvery { get; } = new("--validate-every") { Description = "Validate every N steps (0: never; default: about 20 times per run, at most every 1,000).", HelpName = "N" };

    public Option<int?> ValidationSamples { get; } = new("--val-samples") { Description = "Importance samples per conditional in validation (default 100).", HelpName = "S" };

    public Option<int?> ValidationPoints { get; } = new("--val-points") { Description = "Validation points scored each time (a fixed random subset; default 4,096).", HelpName = "N" };

    public Option<int?> Patience { get; } = new("--patience") { Description = "Stop after N validations without improvement (default: for your own --data, a quarter of the validations; the paper's presets: never).", HelpName = "N" };

    public Option<double?> Clip { get; } = new("--clip") { Description = "Clip the gradient norm to this value (paper: no clipping).", HelpName = "NORM" };

    public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Save the resumable checkpoint every N steps (default 1,000, and always at the end).", HelpName = "N" };

    public Option<int?> LogEvery { get; } = new("--log-every") { Description = "Progress line every N steps when output is not a terminal (default: about 50 lines per run).", HelpName = "N" };

    public static TrainingOptionSet AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var set = new TrainingOptionSet();
        foreach (var option in set.All) command.Add(option);
        return set;
    }

    private IEnumerable<Option> All =>
    [
        Preset, Steps, Time, Warmup, BatchSize, Hidden, EnergyHidden, Context, Blocks, Components, Proposal, Dropout,
        LearningRate, LearningRateRamp, Samples, Normalizer, ValidateEvery, ValidationSamples, ValidationPoints, Patience, Clip, CheckpointEvery, LogEvery,
    ];

    /// <summary>Options that define the model or its data, which a resumed run cannot change.</summary>
    public IEnumerable<Option> Architecture =>
    [
        Preset, Warmup, BatchSize, Hidden, EnergyHidden, Context, Blocks, Components, Proposal, Dropout,
        LearningRate, LearningRateRamp, Samples, Normalizer, ValidateEvery, ValidationSamples, ValidationPoints, Clip,
    ];

    /// <summary>What the settings start from: the preset named, else the data's own (a user's table: the table-scaled defaults).</summary>
    public SettingsBasis ChooseBasis(ParseResult result, DataRequest data, long trainRows, int features)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(Preset) is { } name
            ? SettingsBasis.Of(Presets.Preset.Get(name), features)
            : SettingsBasis.For(data, trainRows, features);
    }

    /// <summary>The architecture: the basis's with any overrides.</summary>
    public AemOptions ModelOptions(ParseResult result, AemSettings basis)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(basis);
        var options = basis.Model;
        var proposal = result.GetValue(Proposal)?.ToLowerInvariant() switch
        {
            null => result.GetValue(Components) is not null ? ProposalKind.MixtureOfGaussians : options.Proposal,
            "mog" => ProposalKind.MixtureOfGaussians,
            "uniform" => ProposalKind.Uniform,
            var other => throw new UsageException($"--proposal must be mog or uniform, not '{other}'."),
        };
        int components = result.GetValue(Components) ?? (options.Components > 0 ? options.Components : 10);
        options = options with
        {
            Proposal = proposal,
            Components = proposal == ProposalKind.Uniform ? 0 : components,
            HiddenFeatures = result.GetValue(Hidden) ?? options.HiddenFeatures,
            EnergyHiddenFeatures = result.GetValue(EnergyHidden) ?? options.EnergyHiddenFeatures,
            ContextFeatures = result.GetValue(Context) ?? options.ContextFeatures,
            ResMadeBlocks = result.GetValue(Blocks) ?? options.ResMadeBlocks,
            EnergyBlocks = result.GetValue(Blocks) ?? options.EnergyBlocks,
            Dropout = result.GetValue(Dropout) ?? options.Dropout,
        };
        options.Validate();
        return options;
    }

    /// <summary>
    /// The schedule for <paramref name="steps"/> steps: the basis's (warm-up scaled to the budget, none for a
    /// uniform proposal) with any overrides; validation every <paramref name="validateEvery"/> steps, else as given, else about 20
    /// times per run.
    /// </summary>
    public TrainerOptions TrainerOptions(ParseResult result, SettingsBasis basis, AemOptions model, int steps, long seed, TimeSpan? time, int? validateEvery)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(model);
        var options = basis.For(steps, result.GetValue(Warmup)).Training;
        if (model.Proposal == ProposalKind.Uniform)
        {
            // The warm-up trains only the proposal, and a uniform proposal has nothing to train.
            if (result.GetValue(Warmup) is > 0) throw new UsageException("--warmup trains only the proposal, and --proposal uniform has no parameters: drop --warmup, or use --proposal mog.");
            options = options with { WarmupSteps = 0 };
        }
        validateEvery ??= result.GetValue(ValidateEvery) ?? DefaultValidateEvery(steps);
        options = options with
        {
            BatchSize = result.GetValue(BatchSize) ?? options.BatchSize,
            LearningRate = result.GetValue(LearningRate) ?? options.LearningRate,
            LearningRateRampSteps = result.GetValue(LearningRateRamp) ?? options.LearningRateRampSteps,
            ValidateEvery = validateEvery.Value,
            ValidationPoints = result.GetValue(ValidationPoints) ?? options.ValidationPoints,
            Patience = result.GetValue(Patience),
            GradientClipNorm = result.GetValue(Clip),
            CheckpointEvery = result.GetValue(CheckpointEvery) ?? options.CheckpointEvery,
            MaxDuration = time,
            Seed = seed,
        };
        options.Validate();
        return options;
    }

    /// <summary>The importance samples in training and validation: the basis's with any overrides.</summary>
    public AemObjectiveOptions ObjectiveOptions(ParseResult result, AemSettings basis)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(basis);
        var options = basis.Objective;
        options = options with
        {
            TrainingSamples = result.GetValue(Samples) ?? options.TrainingSamples,
            ValidationSamples = result.GetValue(ValidationSamples) ?? options.ValidationSamples,
            TrainingNormalizer = result.GetValue(Normalizer) is { } normalizer ? NormalizerOptions.Parse(normalizer, training: true) : options.TrainingNormalizer,
        };
        options.Validate();
        return options;
    }

    /// <summary>About 20 validations per run, at most every 1,000 steps.</summary>
    public static int DefaultValidateEvery(int steps) => Math.Clamp((steps + 19) / 20, 1, 1000);

    /// <summary>About 50 progress lines per run in logs.</summary>
    public static int DefaultLogEvery(int steps) => Math.Clamp(steps / 50, 1, 1000);
}
