using System.Diagnostics;
using Aem.Evaluation;
using Aem.Model;
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
    internal int StepsWithin(TimeSpan budget, int validations)
    {
        double left = budget.TotalSeconds - ((validations + 1) * SecondsPerValidation);
        double steps = left / SecondsPerStep;
        return (int)Math.Clamp(Math.Floor(steps), 1, int.MaxValue);
    }

    /// <summary>
    /// The most steps N for which N steps with a validation every <paramref name="validateEvery"/> steps
    /// (and one at the end) fit into <paramref name="budget"/>: N·t_step + (N / k + 1)·t_validation ≤ T.
    /// </summary>
    internal int StepsWithinValidatingEvery(TimeSpan budget, int validateEvery)
    {
        if (validateEvery < 1) return StepsWithin(budget, 0);
        double steps = (budget.TotalSeconds - SecondsPerValidation) / (SecondsPerStep + (SecondsPerValidation / validateEvery));
        return (int)Math.Clamp(Math.Floor(steps), 1, int.MaxValue);
    }

    /// <summary>
    /// How many validations fit into <paramref name="share"/> of <paramref name="budget"/>, between 1 and
    /// <paramref name="most"/>: on a small budget a validation can cost as much as many steps.
    /// </summary>
    internal int AffordableValidations(TimeSpan budget, double share = 0.1, int most = 20)
    {
        if (!(SecondsPerValidation > 0)) return most;
        return (int)Math.Clamp(Math.Floor(share * budget.TotalSeconds / SecondsPerValidation), 1, most);
    }

    /// <summary>
    /// Times training steps of a model from <paramref name="createModel"/> with <paramref name="options"/>
    /// — after untimed steps for <paramref name="warmSeconds"/> (at least two steps)
    /// (JIT compilation and allocator growth make a process's first second of steps slower: measured
    /// here, a probe of 1 s as the first work of a process read 30–60 steps/s where training then ran at 80–90),
    /// for <paramref name="probeSeconds"/> or <paramref name="maxProbeSteps"/> steps, whichever comes
    /// first — and one validation pass as <paramref name="options"/> would run it. The model is disposed.
    /// </summary>
    internal static SpeedEstimate Measure(
        Func<AutoregressiveEnergyMachine> createModel,
        TrainerOptions options,
        AemObjectiveOptions objective,
        Tensor train,
        Tensor? validation,
        double probeSeconds = 2.5,
        int maxProbeSteps = 500,
        double warmSeconds = 2.5)
    {
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(train);
        if (maxProbeSteps < 1) throw new ArgumentOutOfRangeException(nameof(maxProbeSteps), maxProbeSteps, "Need at least one probe step.");
        using var model = createModel();
        var probe = options with
        {
            Steps = int.MaxValue / 2,
            WarmupSteps = 0,
            ValidateEvery = 0,
            CheckpointEvery = 0,
            ReportEvery = 1,
            MaxDuration = null,
            Patience = null,
        };
        using var enough = new CancellationTokenSource();
        var clock = new StepClock(warmSeconds, probeSeconds, maxProbeSteps, enough);
        // The trainer owns the objective and disposes it with itself (Trainer.Dispose).
#pragma warning disable CA2000
        using (var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(model, objective), probe))
#pragma warning restore CA2000
        {
            trainer.Run(train, progress: clock, cancellationToken: enough.Token);
        }
        double perStep = clock.SecondsSinceWarm / Math.Max(1, clock.StepsSinceWarm);

        double perValidation = 0;
        if (validation is not null && options.ValidateEvery > 0)
        {
            var device = model.parameters().First().device;
            using var points = validation.narrow(0, 0, Math.Min(validation.shape[0], options.ValidationPoints)).to(device);
            using var generator = new Generator(0, device);
            var watch = Stopwatch.StartNew();
            using (LogLikelihoodEstimator.Estimate(model, points, objective.ValidationSamples, generator))
            {
            }
            perValidation = watch.Elapsed.TotalSeconds;
        }
        return new SpeedEstimate(perStep, perValidation);
    }

    /// <summary>Times the steps after the warm-up; stops the probe when it has timed enough.</summary>
    private sealed class StepClock(double warmSeconds, double probeSeconds, int maxProbeSteps, CancellationTokenSource enough)
        : IProgress<TrainingProgress<AemStep, ValidationScore>>
    {
        private TimeSpan atWarm;
        private int warmStep = -1;

        public double SecondsSinceWarm { get; private set; }

        public int StepsSinceWarm { get; private set; }

        public void Report(TrainingProgress<AemStep, ValidationScore> value)
        {
            if (warmStep < 0)
            {
                if (value.Step < 2 || value.Elapsed.TotalSeconds < warmSeconds) return;
                warmStep = value.Step;
                atWarm = value.Elapsed;
                return;
            }
            SecondsSinceWarm = (value.Elapsed - atWarm).TotalSeconds;
            StepsSinceWarm = value.Step - warmStep;
            if (SecondsSinceWarm >= probeSeconds || StepsSinceWarm >= maxProbeSteps) enough.Cancel();
        }
    }
}
