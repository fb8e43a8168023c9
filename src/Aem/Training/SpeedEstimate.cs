using System.Diagnostics;
using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// What a training step and a validation cost on this machine, measured on a throwaway model, so
/// that a wall-time budget can be turned into a step count — the cosine schedule needs the total
/// number of steps in advance.
/// </summary>
/// <param name="SecondsPerStep">Wall time of one training step (energy term on).</param>
/// <param name="SecondsPerValidation">Wall time of one validation (0 if none is planned).</param>
public sealed record SpeedEstimate(double SecondsPerStep, double SecondsPerValidation)
{
    /// <summary>
    /// The most steps N for which N steps plus <paramref name="validations"/> validations (and the one
    /// at the end) fit into <paramref name="budget"/>; at least 1.
    /// </summary>
    public int StepsWithin(TimeSpan budget, int validations)
    {
        double left = budget.TotalSeconds - ((validations + 1) * SecondsPerValidation);
        double steps = left / SecondsPerStep;
        return (int)Math.Clamp(Math.Floor(steps), 1, int.MaxValue);
    }

    /// <summary>
    /// The most steps N for which N steps with a validation every <paramref name="validateEvery"/> steps
    /// (and one at the end) fit into <paramref name="budget"/>: N·t_step + (N / k + 1)·t_validation ≤ T.
    /// </summary>
    public int StepsWithinValidatingEvery(TimeSpan budget, int validateEvery)
    {
        if (validateEvery < 1) return StepsWithin(budget, 0);
        double steps = (budget.TotalSeconds - SecondsPerValidation) / (SecondsPerStep + (SecondsPerValidation / validateEvery));
        return (int)Math.Clamp(Math.Floor(steps), 1, int.MaxValue);
    }

    /// <summary>
    /// How many validations fit into <paramref name="share"/> of <paramref name="budget"/>, between 1 and
    /// <paramref name="most"/>: on a small budget a validation can cost as much as many steps.
    /// </summary>
    public int AffordableValidations(TimeSpan budget, double share = 0.1, int most = 20)
    {
        if (!(SecondsPerValidation > 0)) return most;
        return (int)Math.Clamp(Math.Floor(share * budget.TotalSeconds / SecondsPerValidation), 1, most);
    }

    /// <summary>
    /// Times <paramref name="probeSteps"/> training steps (after <paramref name="warmSteps"/> untimed ones)
    /// of a model from <paramref name="createModel"/> with <paramref name="options"/>, and one validation
    /// pass as <paramref name="options"/> would run it. The model is disposed afterwards.
    /// </summary>
    public static SpeedEstimate Measure(
        Func<AutoregressiveEnergyMachine> createModel,
        TrainerOptions options,
        Tensor train,
        Tensor? validation,
        int probeSteps = 20,
        int warmSteps = 3)
    {
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        if (probeSteps < 1) throw new ArgumentOutOfRangeException(nameof(probeSteps), probeSteps, "Need at least one probe step.");
        using var model = createModel();
        var probe = options with
        {
            Steps = warmSteps + probeSteps,
            WarmupSteps = 0,
            ValidateEvery = 0,
            CheckpointEvery = 0,
            ReportEvery = 1,
            MaxDuration = null,
            Patience = null,
        };
        var clock = new StepClock(warmSteps);
        using (var trainer = new Trainer(model, probe))
        {
            trainer.Run(train, progress: clock);
        }
        double perStep = clock.SecondsSinceWarm / Math.Max(1, clock.StepsSinceWarm);

        double perValidation = 0;
        if (validation is not null && options.ValidateEvery > 0)
        {
            var device = model.parameters().First().device;
            using var points = validation.narrow(0, 0, Math.Min(validation.shape[0], options.ValidationPoints)).to(device);
            using var generator = new Generator(0, device);
            var watch = Stopwatch.StartNew();
            using (LogLikelihoodEstimator.Estimate(model, points, options.ValidationSamples, generator))
            {
            }
            perValidation = watch.Elapsed.TotalSeconds;
        }
        return new SpeedEstimate(perStep, perValidation);
    }

    /// <summary>Records the wall time between the end of the warm steps and the last step.</summary>
    private sealed class StepClock(int warmSteps) : IProgress<TrainingProgress>
    {
        private TimeSpan atWarm;

        public double SecondsSinceWarm { get; private set; }

        public int StepsSinceWarm { get; private set; }

        public void Report(TrainingProgress value)
        {
            if (value.Step == warmSteps) atWarm = value.Elapsed;
            if (value.Step <= warmSteps) return;
            SecondsSinceWarm = (value.Elapsed - atWarm).TotalSeconds;
            StepsSinceWarm = value.Step - warmSteps;
        }
    }
}
