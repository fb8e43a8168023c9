using System.Text.Json;
using Aem.Model;
using Aem.Runs;
using Aem.Training;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// The paper's latent-variable experiment (§4.4) end to end, as the <c>aem vae</c> commands run it:
/// pre-train the VAE with a Gaussian prior (<see cref="Pretrain"/>), fit a ResMADE-MoG or an AEM to its
/// aggregate posterior with the VAE frozen (<see cref="FitPrior"/>), score every prior on the test set
/// (<see cref="Evaluate"/>, Table 2) and draw figure 6 (<see cref="Figure"/>). Every step checkpoints,
/// resumes, and takes a step or time budget; nothing is printed (progress goes to the callers).
/// </summary>
public static partial class VaeExperiment
{
    /// <summary>
    /// The paper gives no VAE optimiser settings; these are common ones for this architecture (IAF, NAF use
    /// similar): batches of 100 images, Adam at 10⁻³ annealed to zero over 100,000 steps by a cosine, the
    /// ELBO validated on 2,000 images every 1,000 steps.
    /// </summary>
    public static TrainerOptions PretrainingDefaults { get; } = new()
    {
        BatchSize = 100,
        Steps = 100_000,
        LearningRate = 1e-3,
        ValidateEvery = 1000,
        ValidationPoints = 2000,
        ReportEvery = 20,
        CheckpointEvery = 200,
    };

    /// <summary>
    /// Pre-trains a VAE on MNIST from <paramref name="mnistDirectory"/> into <paramref name="runDirectory"/>
    /// (<c>last/</c>, <c>best/</c>). With <paramref name="resume"/>, continues the run in that folder with
    /// its saved options except the step and time budgets, which come from <paramref name="training"/>
    /// (a step budget changes the cosine schedule's length).
    /// </summary>
    /// <param name="mnistDirectory">The folder with the MNIST IDX files (gzipped or not).</param>
    /// <param name="runDirectory">The run folder to train in.</param>
    /// <param name="model">The architecture (ignored when resuming: the saved one is used).</param>
    /// <param name="training">The schedule, e.g. <see cref="PretrainingDefaults"/>.</param>
    /// <param name="objective">β, the KL weight (default the paper's 0.9).</param>
    /// <param name="resume">Continue the run in <paramref name="runDirectory"/> from its <c>last/</c> checkpoint.</param>
    /// <param name="progress">Receives the step metrics and validations.</param>
    /// <param name="cancellationToken">Stops after the current step, with a resumable checkpoint saved.</param>
    /// <exception cref="InvalidOperationException">A run is already in the folder and <paramref name="resume"/> is false.</exception>
    /// <exception cref="FileNotFoundException">An MNIST file is missing.</exception>
    public static TrainingResult<VaeValidationScore> Pretrain(
        string mnistDirectory,
        string runDirectory,
        VaeOptions model,
        TrainerOptions training,
        VaeObjectiveOptions? objective = null,
        bool resume = false,
        IProgress<TrainingProgress<VaeStep, VaeValidationScore>>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        string last = RunLayout.LastOf(runDirectory);
        bool hasLast = RunLayout.IsRun(runDirectory);
        CheckResume(last, hasLast, resume);
        using var data = Mnist.Load(mnistDirectory);
        using var validation = Binarization.Fixed(data.Validation, Binarization.ValidationSeed);
        (ConvVae Model, VaeRunFile Record)? saved = resume && hasLast ? VaeCheckpoint.Load(last) : null;
        var record = saved is { Record: var savedRecord }
            ? savedRecord with { Training = savedRecord.Training with { Steps = training.Steps, MaxDuration = training.MaxDuration } }
            : new VaeRunFile
            {
                DataName = $"MNIST ({Path.GetFullPath(mnistDirectory)}), dynamically binarised",
                Model = model,
                Training = training,
                Objective = objective ?? new VaeObjectiveOptions(),
            };
        var state = saved?.Record.State;
        using (var vae = saved is { Model: var savedModel } ? savedModel : NewVae(model, training.Seed))
        {
            // The trainer owns the objective and disposes it with itself (Trainer.Dispose).
#pragma warning disable CA2000
            using var trainer = new Trainer<VaeStep, VaeValidationScore>(new VaeObjective(vae, record.Objective), record.Training, state);
#pragma warning restore CA2000
            if (state is not null) VaeCheckpoint.LoadOptimizer(last, trainer.Optimizer);
            return trainer.Run(data.Train, validation, progress, new VaeCheckpoint(runDirectory, record), cancellationToken);
        }
    }

    /// <summary>
    /// Fits a prior of <paramref name="kind"/> to latents of the aggregate posterior of the VAE at
    /// <paramref name="vaePath"/> (a checkpoint or a pre-training run folder, whose <c>best/</c> is used),
    /// with the library's <see cref="Trainer{TStep, TScore}"/> and the "vae prior" preset. The latents are drawn once and
    /// cached in <c>latents/</c> of the run folder (reused while the VAE and the sampling settings match).
    /// <paramref name="status"/> hears about the slow preparation steps. On <paramref name="resume"/> the run's
    /// saved options are kept except the time budget and, if given, the step budget.
    /// </summary>
    public static TrainingResult<ValidationScore> FitPrior(
        string vaePath,
        string mnistDirectory,
        string runDirectory,
        LatentPriorKind kind,
        PriorFitOptions options,
        bool resume = false,
        IProgress<TrainingProgress<AemStep, ValidationScore>>? progress = null,
        IProgress<string>? status = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string vaeCheckpoint = ResolveVae(vaePath);
        string last = RunLayout.LastOf(runDirectory);
        bool hasLast = RunLayout.IsRun(runDirectory);
        CheckResume(last, hasLast, resume);
        var (train, validation) = Latents(vaeCheckpoint, mnistDirectory, Path.GetFullPath(runDirectory), options, status, cancellationToken);
        using (train)
        using (validation)
        {
            SavedRun? resumed = resume && hasLast ? SavedRun.Open(last) : null;
            var record = resumed is not null
                ? resumed.File with { Training = resumed.File.Training with { Steps = options.Steps ?? resumed.File.Training.Steps, MaxDuration = options.MaxDuration } }
                : null;
            var state = resumed?.File.State;
            using (var aem = resumed is not null ? resumed.LoadModel() : NewPrior(options, (int)train.shape[1], status))
            {
                record ??= NewPriorRecord(aem.Options, vaeCheckpoint, kind, options);
                // The trainer owns the objective and disposes it with itself (Trainer.Dispose).
#pragma warning disable CA2000
                using var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(aem, record.Objective), record.Training, state);
#pragma warning restore CA2000
                if (state is not null) CheckpointStore.LoadOptimizer(last, trainer.Optimizer);
                status?.Report($"Training the {kind} prior on {train.shape[0]} latents.");
                return trainer.Run(train, validation, progress, new RunCheckpoints(runDirectory, record), cancellationToken);
            }
        }
    }

    /// <summary>A VAE with fresh weights drawn from <paramref name="seed"/>.</summary>
    private static ConvVae NewVae(VaeOptions model, long seed)
    {
        random.manual_seed(seed);
        return new ConvVae(model);
    }

    /// <summary>The model a new prior run starts from: fresh weights drawn from the run's seed, or <see cref="PriorFitOptions.InitialWeights"/>.</summary>
    private static AutoregressiveEnergyMachine NewPrior(PriorFitOptions options, int latents, IProgress<string>? status)
    {
        random.manual_seed(options.Seed);
        if (options.InitialWeights is { } initial) return LoadInitialWeights(initial, latents, status);
        return new AutoregressiveEnergyMachine(PriorFitting.Model(latents));
    }

    /// <summary>The record of a new prior run: the "vae prior" preset's schedule with <paramref name="options"/>' overrides.</summary>
    private static RunFile NewPriorRecord(AemOptions model, string vaeCheckpoint, LatentPriorKind kind, PriorFitOptions options)
    {
        var preset = PriorFitting.Training(kind, options.Steps);
        return new RunFile
        {
            DataName = $"aggregate posterior of the VAE at {vaeCheckpoint}; prior: {kind}",
            PresetName = PriorFitting.PresetName,
            Model = model,
            Training = preset with
            {
                BatchSize = options.BatchSize ?? preset.BatchSize,
                ValidateEvery = options.ValidateEvery,
                ValidationPoints = options.ValidationPoints,
                CheckpointEvery = options.CheckpointEvery,
                ReportEvery = options.ReportEvery,
                MaxDuration = options.MaxDuration,
                Seed = options.Seed,
            },
            Objective = new AemObjectiveOptions { ValidationSamples = options.ValidationSamples },
        };
    }

    /// <summary>A VAE checkpoint folder: <paramref name="path"/> itself, or the <c>best/</c> (else <c>last/</c>) of a run folder.</summary>
    internal static string ResolveVae(string path) => RunLayout.Locate(path).Checkpoint;

    /// <summary>An AEM checkpoint folder: <paramref name="path"/> itself, or the <c>best/</c> (else <c>last/</c>) of a run folder.</summary>
    internal static string ResolveAem(string path) => RunLayout.Locate(path).Checkpoint;

    private static AutoregressiveEnergyMachine LoadInitialWeights(string path, int latents, IProgress<string>? status)
    {
        string checkpoint = ResolveAem(path);
        var run = SavedRun.Open(checkpoint);
        var model = run.LoadModel();
        if (run.File.Model != PriorFitting.Model(latents))
        {
            model.Dispose();
            throw new CheckpointException($"{checkpoint}: its architecture is not the '{PriorFitting.PresetName}' preset's for {latents} latents, so training cannot start from it.");
        }
        status?.Report($"Starting from the weights in {checkpoint}.");
        return model;
    }

    private static void CheckResume(string last, bool hasLast, bool resume)
    {
        if (hasLast && !resume)
        {
            throw new InvalidOperationException($"{last}: a run is already here; resume it (--resume) or choose another folder.");
        }
    }

    private static (Tensor Train, Tensor Validation) Latents(
        string vaeCheckpoint, string mnistDirectory, string runDirectory, PriorFitOptions options, IProgress<string>? status, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(runDirectory, "latents");
        string trainPath = Path.Combine(folder, "train.bin"), validationPath = Path.Combine(folder, "validation.bin"), keyPath = Path.Combine(folder, "key.json");
        var key = new LatentsKey(VaeCheckpoint.ModelHash(vaeCheckpoint), options.Encodings, options.SamplesPerEncoding, options.MaxImages, options.ValidationPoints, options.Seed);
        if (File.Exists(keyPath) && JsonSerializer.Deserialize<LatentsKey>(File.ReadAllText(keyPath)) == key &&
            LatentFile.TryLoad(trainPath) is { } cachedTrain)
        {
            if (LatentFile.TryLoad(validationPath) is { } cachedValidation)
            {
                status?.Report($"Reusing the aggregate-posterior latents in {folder}.");
                return (cachedTrain, cachedValidation);
            }
            cachedTrain.Dispose();
        }
        var (vae, _) = VaeCheckpoint.Load(vaeCheckpoint);
        using (vae)
        using (var data = Mnist.Load(mnistDirectory))
        using (var validationAll = Binarization.Fixed(data.Validation, Binarization.ValidationSeed))
        using (var validationImages = validationAll.narrow(0, 0, Math.Min(validationAll.shape[0], options.ValidationPoints)))
        using (var images = data.Train.narrow(0, 0, Math.Min(data.Train.shape[0], options.MaxImages ?? int.MaxValue)))
        {
            status?.Report($"Encoding {images.shape[0]} training images ({options.Encodings} binarisation(s) each, {options.SamplesPerEncoding} latents per encoding).");
            var train = AggregatePosterior.Sample(vae, images, options.Encodings, options.SamplesPerEncoding, options.Seed, cancellationToken: cancellationToken);
            var validation = AggregatePosterior.Sample(vae, validationImages, 1, 1, options.Seed + 1, binarize: false, cancellationToken: cancellationToken);
            Directory.CreateDirectory(folder);
            LatentFile.Save(train, trainPath);
            LatentFile.Save(validation, validationPath);
            File.WriteAllText(keyPath + ".tmp", JsonSerializer.Serialize(key));
            File.Move(keyPath + ".tmp", keyPath, overwrite: true);
            return (train, validation);
        }
    }

    /// <summary>What the cached latents were drawn from; a mismatch means they are drawn again.</summary>
    private sealed record LatentsKey(string VaeHash, int Encodings, int SamplesPerEncoding, int? MaxImages, int ValidationPoints, long Seed);
}
